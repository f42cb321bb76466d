import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AtasDatabase, EventsTable } from '../db/database.js';

export type EventRow = Selectable<EventsTable>;

export interface EventJson {
  id: string;
  organizer_id: string;
  title: string;
  location: string | null;
  starts_at: string;
  ends_at: string | null;
}

export interface NewEvent {
  organizerId: string;
  title: string;
  location?: string | null | undefined;
  startsAt: Date;
  endsAt?: Date | null | undefined;
}

/** Events, each owned by the organizer who created it. */
export class Events {
  constructor(private readonly db: Kysely<AtasDatabase>) {}

  async create(input: NewEvent): Promise<EventRow> {
    const row: EventRow = {
      id: randomUUID(),
      organizer_id: input.organizerId,
      title: input.title,
      location: input.location ?? null,
      starts_at: input.startsAt.getTime(),
      ends_at: input.endsAt?.getTime() ?? null,
      created_at: Date.now(),
    };
    await this.db.insertInto('atas_events').values(row).execute();
    return row;
  }

  findById(id: string): Promise<EventRow | undefined> {
    return this.db.selectFrom('atas_events').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listByOrganizer(organizerId: string): Promise<EventRow[]> {
    return this.db
      .selectFrom('atas_events')
      .selectAll()
      .where('organizer_id', '=', organizerId)
      .orderBy('starts_at')
      .orderBy('id')
      .execute();
  }
}

export function toEventJson(row: EventRow): EventJson {
  return {
    id: row.id,
    organizer_id: row.organizer_id,
    title: row.title,
    location: row.location,
    starts_at: new Date(row.starts_at).toISOString(),
    ends_at: row.ends_at === null ? null : new Date(row.ends_at).toISOString(),
  };
}
