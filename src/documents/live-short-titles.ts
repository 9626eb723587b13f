import type { KnowledgeBase } from "../search/knowledge-base.js";

/**
 * Documents' short titles, by id, read from the live knowledge base on every
 * lookup: a channel keeps this one map, and a published, retired or deleted
 * document is seen at once. A Map (so it fits both Map and ReadonlyMap
 * parameters) whose every read goes to the current knowledge base; writes are
 * refused.
 */
export class LiveShortTitles extends Map<string, string> {
  constructor(private readonly current: () => KnowledgeBase) {
    super();
  }
  override get(id: string): string | undefined {
    return this.current().documentsById.get(id)?.shortTitle;
  }
  override has(id: string): boolean {
    return this.current().documentsById.has(id);
  }
  override get size(): number {
    return this.current().documentsById.size;
  }
  override *entries(): MapIterator<[string, string]> {
    for (const [id, document] of this.current().documentsById) yield [id, document.shortTitle];
  }
  override keys(): MapIterator<string> {
    return this.current().documentsById.keys();
  }
  override *values(): MapIterator<string> {
    for (const document of this.current().documentsById.values()) yield document.shortTitle;
  }
  override [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }
  override forEach(callback: (value: string, key: string, map: Map<string, string>) => void): void {
    for (const [id, title] of this.entries()) callback(title, id, this);
  }
  override set(): this {
    throw new Error("short titles follow the knowledge base; they are not set by hand");
  }
}
