import gazetteer from "./regions.json" with { type: "json" };

interface Place {
  name: string;
  province: string;
  level: "province" | "city";
}

interface Gazetteer {
  places: Map<string, Place>;
  /** Every spelling of every place, longest first, so 克拉玛依市 wins over a shorter overlapping form. */
  surfaceForms: Array<[string, string]>;
  /** The spellings as one alternation, longest first: one pass over a text instead of one per spelling. */
  pattern: RegExp;
  nameOf: Map<string, string>;
}

let gazetteerCache: Gazetteer | undefined;

/** Built from regions.json on first use, not at import. */
function gazetteerIndex(): Gazetteer {
  if (gazetteerCache) return gazetteerCache;
  const places = new Map<string, Place>();
  const surfaceForms: Array<[string, string]> = [];
  for (const province of gazetteer.provinces) {
    places.set(province.name, { name: province.name, province: province.name, level: "province" });
    for (const form of [province.name, ...province.aliases]) surfaceForms.push([form, province.name]);
    for (const city of province.cities) {
      places.set(city.name, { name: city.name, province: province.name, level: "city" });
      for (const form of [city.name, ...city.aliases]) {
        // A city alias equal to a province alias (吉林) names the province.
        if (!surfaceForms.some(([known]) => known === form)) surfaceForms.push([form, city.name]);
      }
    }
  }
  surfaceForms.sort((a, b) => b[0].length - a[0].length);
  const escaped = surfaceForms.map(([form]) => form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  gazetteerCache = { places, surfaceForms, pattern: new RegExp(escaped.join("|"), "g"), nameOf: new Map(surfaceForms) };
  return gazetteerCache;
}

/** Canonical names of the places a text mentions, in order of first mention. */
export function findRegions(text: string): string[] {
  return [...new Set(placeMentions(text).map((mention) => mention.place))];
}

/** Each place a text mentions, where it stands: the longest spelling at each position, as findRegions reads them. */
export function placeMentions(text: string): Array<{ place: string; start: number; end: number }> {
  const { pattern, nameOf } = gazetteerIndex();
  // At each position the alternation tries the longest spelling first, so 克拉玛依市 wins over 克拉玛依.
  return Array.from(text.matchAll(pattern), (match) => ({ place: nameOf.get(match[0])!, start: match.index, end: match.index + match[0].length }));
}

/** [city, province] or [province]. Unknown names stand alone. */
export function regionPath(name: string): string[] {
  const place = gazetteerIndex().places.get(name);
  if (!place) return [name];
  return place.level === "city" ? [place.name, place.province] : [place.name];
}

export function isKnownRegion(name: string): boolean {
  return gazetteerIndex().places.has(name);
}

/** True when a document for `documentRegion` applies to someone in `askedRegion`. */
export function regionCovers(documentRegion: string, askedRegion: string): boolean {
  return regionPath(askedRegion).includes(documentRegion);
}

/** The text with every place name it mentions taken out, in any of their spellings. */
export function stripRegions(text: string): string {
  return text.replace(gazetteerIndex().pattern, "");
}

/** The text with every place name replaced by `mask`, so what is left never runs across a name. */
export function maskRegions(text: string, mask = "|"): string {
  return text.replace(gazetteerIndex().pattern, mask);
}
