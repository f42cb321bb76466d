import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { AtasError } from '../atas-error.js';
import type { AtasDatabase, EventsTable } from '../db/database.js';

export type EventRow = Selectable<EventsTable>;

export interface EventJson {
  id: string;
  organizer_id: string;
  title: string;
  description: string | null;
  location: string | null;
  starts_at: string;
  ends_at: string | null;
  /** IANA time zone the event's times are shown in. */
  time_zone: string;
}

export interface NewEvent {
  organizerId: string;
  title: string;
  description?: string | null | undefined;
  location?: string | null | undefined;
  startsAt: Date;
  endsAt?: Date | null | undefined;
  /** Default `UTC`. */
  timeZone?: string | undefined;
}

/** What `update` may change; absent fields stay. */
export interface EventChanges {
  title?: string | undefined;
  description?: string | null | undefined;
  location?: string | null | undefined;
  startsAt?: Date | undefined;
  endsAt?: Date | null | undefined;
  timeZone?: string | undefined;
}

/** Events, each owned by the organizer who created it. */
export class Events {
  constructor(private readonly db: Kysely<AtasDatabase>) {}

  async create(input: NewEvent): Promise<EventRow> {
    const row: EventRow = {
      id: randomUUID(),
      organizer_id: input.organizerId,
      title: input.title,
      description: input.description ?? null,
      location: input.location ?? null,
      starts_at: input.startsAt.getTime(),
      ends_at: input.endsAt?.getTime() ?? null,
      time_zone: input.timeZone ?? 'UTC',
      created_at: Date.now(),
    };
    await this.db.insertInto('atas_events').values(row).execute();
    return row;
  }

  /**
   * Changes the fields given. The end is checked against the start as they will be, in the
   * same statement's transaction, so an edit can never leave an event ending before it starts.
   */
  async update(id: string, changes: EventChanges): Promise<EventRow> {
    return this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('atas_events')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (current === undefined) throw new AtasError('event_not_found', 'no such event');
      const next: EventRow = {
        ...current,
        ...(changes.title !== undefined && { title: changes.title }),
        ...(changes.description !== undefined && { description: changes.description }),
        ...(changes.location !== undefined && { location: changes.location }),
        ...(changes.startsAt !== undefined && { starts_at: changes.startsAt.getTime() }),
        ...(changes.endsAt !== undefined && { ends_at: changes.endsAt?.getTime() ?? null }),
        ...(changes.timeZone !== undefined && { time_zone: changes.timeZone }),
      };
      if (next.ends_at !== null && next.ends_at < next.starts_at) {
        throw new AtasError('invalid_request', 'ends_at: the event ends before it starts', {
          issues: [{ path: 'ends_at', message: 'the event ends before it starts' }],
        });
      }
      await trx
        .updateTable('atas_events')
        .set({
          title: next.title,
          description: next.description,
          location: next.location,
          starts_at: next.starts_at,
          ends_at: next.ends_at,
          time_zone: next.time_zone,
        })
        .where('id', '=', id)
        .execute();
      return next;
    });
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
    description: row.description,
    location: row.location,
    starts_at: new Date(row.starts_at).toISOString(),
    ends_at: row.ends_at === null ? null : new Date(row.ends_at).toISOString(),
    time_zone: row.time_zone,
  };
}
