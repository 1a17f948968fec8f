/** One installed package as every rpmdb backend stores it: a header number and the header blob. */
export interface RpmdbRecord {
  /** rpm's header number ("hnum", DBINSTANCE): unique within the database. */
  key: number;
  blob: Uint8Array;
}
