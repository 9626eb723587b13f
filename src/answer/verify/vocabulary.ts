import { readFileSync } from "node:fs";

interface Vocabulary {
  promises: { words: string[]; notPromises: string[] };
  contacts: { words: string[] };
  prose: { patterns: string[] };
  latin: { words: string[] };
  hanDomainSuffixes: string[];
}

/** The verifier's word lists, kept as data so staff can extend them (src/answer/verify/vocabulary.json). */
export const vocabulary = JSON.parse(readFileSync(new URL("./vocabulary.json", import.meta.url), "utf8")) as Vocabulary;
