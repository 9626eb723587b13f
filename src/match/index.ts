export { classifiedMeasures } from "./classified.js";
export { classifyMeasure, type MeasureClassification } from "./classify.js";
export { type BeneficiaryCoverage, beneficiaryCoverage, coverageLine } from "./coverage.js";
export { describesAsker, needOf, tellsOfAsker } from "./describe-asker.js";
export { type MatchAnswerOptions, matchAnswer, profileLabel, withOtherMeasures } from "./match-answer.js";
export { allItems, type MatchGroup, type MatchItem, type MatchResult, matchMeasures } from "./match-measures.js";
export { checkProfile, type Profile, type ProfileCheck, type ProfileInput } from "./profile.js";
export { vocabulary } from "./vocabulary.js";
