import type { Tx } from '../db/tx.ts';

/**
 * What one capability holds about a person, for the "export my data" and "delete my
 * account" rights. Each capability declares its own part in its module; the privacy
 * routes gather them all, so nothing held is left out of an export.
 */
export interface PersonalData {
  /** key of this part in the export document, e.g. `orders` */
  section: string;
  export(tx: Tx, userId: number): Promise<unknown>;
  /**
   * Removes or anonymises personal data at account deletion. Trade and ledger records
   * stay (the law and the books need them) but no longer name the person.
   */
  erase?(tx: Tx, userId: number, now: Date): Promise<void>;
}
