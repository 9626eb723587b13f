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
  gazetteerCache = { places, surfaceForms };
  return gazetteerCache;
}

/** Canonical names of the places a text mentions, in order of first mention. */
export function findRegions(text: string): string[] {
  const { surfaceForms } = gazetteerIndex();
  const found: Array<[number, string]> = [];
  let rest = text;
  for (const [form, name] of surfaceForms) {
    let at = rest.indexOf(form);
    while (at >= 0) {
      found.push([at, name]);
      rest = rest.slice(0, at) + "\u0000".repeat(form.length) + rest.slice(at + form.length);
      at = rest.indexOf(form);
    }
  }
  return [...new Set(found.sort((a, b) => a[0] - b[0]).map(([, name]) => name))];
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
  let rest = text;
  for (const [form] of gazetteerIndex().surfaceForms) rest = rest.split(form).join("");
  return rest;
}

/** The text with every place name replaced by `mask`, so what is left never runs across a name. */
export function maskRegions(text: string, mask = "|"): string {
  let rest = text;
  for (const [form] of gazetteerIndex().surfaceForms) rest = rest.split(form).join(mask);
  return rest;
}
