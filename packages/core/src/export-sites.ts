/**
 * Where each live export of an object was taken, while call sites are traced: what a lock error
 * shows so that "2 exports are still held" comes with the two places that hold them. Weakly keyed
 * by the exporter, so it never keeps one alive; empty (and free) while tracing is off.
 */

interface SiteRecord {
  readonly site: string | undefined;
}

const live = new WeakMap<object, Set<SiteRecord>>();

/** Records a traced export of `owner` (its `record.site` says where it was taken). */
export function noteExportSite(owner: object, record: SiteRecord): void {
  let records = live.get(owner);
  if (records === undefined) live.set(owner, (records = new Set()));
  records.add(record);
}

/** Forgets a traced export of `owner` when it ends. */
export function forgetExportSite(owner: object, record: SiteRecord): void {
  live.get(owner)?.delete(record);
}

/** The call sites of the live traced exports of `owner`, oldest first. */
export function liveExportSites(owner: object): string[] {
  const records = live.get(owner);
  if (records === undefined) return [];
  const sites: string[] = [];
  for (const record of records) if (record.site !== undefined) sites.push(record.site);
  return sites;
}
