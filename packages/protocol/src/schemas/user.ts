import { z } from 'zod';
import { PAGE } from '../limits.js';
import { customDataSchema, timestampSchema, userIdSchema } from './ids.js';

/** A user's role across the whole app. Admins may act in every channel. */
export const userRoleSchema = z.enum(['user', 'admin']);
export type UserRole = z.infer<typeof userRoleSchema>;

/** A user as the server returns it. */
export const userSchema = z
  .object({
    id: userIdSchema,
    name: z.string().nullable(),
    image: z.string().nullable(),
    role: userRoleSchema,
    data: customDataSchema,
    created_at: timestampSchema,
    updated_at: timestampSchema,
    /** When the user last had an open connection; null if never. */
    last_active: timestampSchema.nullable(),
    /** True while the user has at least one open connection on any node. */
    online: z.boolean(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

/** One user in an upsert. Fields left out keep their stored value. */
export const userInputSchema = z.strictObject({
  id: userIdSchema,
  name: z.string().max(200).nullable().optional(),
  image: z.string().max(2048).nullable().optional(),
  role: userRoleSchema.optional(),
  data: customDataSchema.optional(),
  /**
   * Where notification emails go; null removes it. Only the server token sets it, and no
   * user ever sees another's (it is not part of {@link userSchema}).
   */
  email: z.email().max(320).nullable().optional(),
});
export type UserInput = z.infer<typeof userInputSchema>;

/** `POST /users` (server only). */
export const upsertUsersRequestSchema = z.strictObject({
  users: z.array(userInputSchema).min(1).max(100),
});
export type UpsertUsersRequest = z.infer<typeof upsertUsersRequestSchema>;

export const upsertUsersResponseSchema = z.object({ users: z.array(userSchema) });
export type UpsertUsersResponse = z.infer<typeof upsertUsersResponseSchema>;

/** `PUT /users/:id/role` (the server, or an app admin): a user's app role. */
export const setUserRoleRequestSchema = z.strictObject({
  role: userRoleSchema,
  /** Why, for the audit log. */
  reason: z.string().min(1).max(500).optional(),
});
export type SetUserRoleRequest = z.infer<typeof setUserRoleRequestSchema>;

/** `GET /users/:id`, `GET /me` and `PUT /users/:id/role`. */
export const getUserResponseSchema = z.object({ user: userSchema });
export type GetUserResponse = z.infer<typeof getUserResponseSchema>;

/** Query string of `GET /users`. */
export const queryUsersRequestSchema = z.strictObject({
  /** Comma-separated user ids (at most 100). */
  ids: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(userIdSchema).max(100))
    .optional(),
  /** Case-insensitive prefix of the name or the id. */
  q: z.string().min(1).max(100).optional(),
  role: userRoleSchema.optional(),
  limit: z.coerce.number().int().min(1).max(PAGE.usersMax).default(PAGE.usersDefault),
  /** `next_cursor` of the previous page. */
  cursor: z.string().max(400).optional(),
});
export type QueryUsersRequest = z.input<typeof queryUsersRequestSchema>;

export const queryUsersResponseSchema = z.object({
  users: z.array(userSchema),
  next_cursor: z.string().nullable(),
});
export type QueryUsersResponse = z.infer<typeof queryUsersResponseSchema>;
