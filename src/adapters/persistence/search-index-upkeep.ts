// Merges the review queue's trigram indexes' pending entries in the background, so that validate never does it.
import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { BackgroundLoop } from '../background/background-loop';

/** The GIN indexes that opening a review case writes to (see the case-search migration). */
export const REVIEW_CASE_TRIGRAM_INDEXES = ['review_cases_search_trigrams', 'review_cases_name_trigrams'] as const;

/** Often enough that a pending list holds about a second of new cases, far below its 4 MB limit. */
const MERGE_EVERY_MS = 1_000;

/**
 * A GIN index takes new entries into a pending list, and the insert that pushes the list past
 * gin_pending_list_limit merges the whole list into the index while its own transaction waits.
 * That insert is validate's screening record whenever it opens a review case: measured on two
 * cores, one such record in a few thousand took 100 to 200 ms, every few seconds under load.
 * Autovacuum merges too, but only when it vacuums the table, which on a growing queue is rarely.
 * Merging every second here keeps each list short, so validate's inserts only append to it.
 */
export class SearchIndexUpkeep {
  private readonly loop: BackgroundLoop;
  private readonly logger = new Logger('SearchIndexUpkeep');
  private permitted = true;

  constructor(
    private readonly pool: Pool,
    everyMs = MERGE_EVERY_MS,
  ) {
    this.loop = new BackgroundLoop({ name: 'SearchIndexUpkeep', pollMs: everyMs }, async () => {
      if (this.permitted) await this.mergePending();
      return 'sleep';
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Merges every pending list; resolves to the number of pending pages merged. */
  async mergePending(): Promise<number> {
    let pages = 0;
    for (const index of REVIEW_CASE_TRIGRAM_INDEXES) {
      try {
        const { rows } = await this.pool.query<{ pages: number }>({ name: `gin_merge_${index}`, text: `SELECT gin_clean_pending_list($1::regclass)::int AS pages`, values: [index] });
        pages += rows[0]!.pages;
      } catch (error) {
        if ((error as { code?: string }).code !== '42501') throw error;
        // Only an index's owner may merge it; the service's own migrations make it the owner.
        this.permitted = false;
        this.logger.warn(`cannot merge ${index}'s pending entries (the database user does not own it): inserts that open review cases will merge them now and then`);
        return pages;
      }
    }
    return pages;
  }
}
