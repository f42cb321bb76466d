/** Domain errors thrown by storage; the server maps them to wire errors in one place. */
export class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The channel does not exist (or was deleted during the call). */
export class ChannelNotFoundError extends StorageError {
  constructor(readonly cid: string) {
    super(`channel ${cid} does not exist`);
  }
}

/** The user is not a member of the channel. */
export class NotMemberError extends StorageError {
  constructor(
    readonly cid: string,
    readonly userId: string,
  ) {
    super(`user ${userId} is not a member of ${cid}`);
  }
}

/** Some user ids do not exist. */
export class UnknownUsersError extends StorageError {
  constructor(readonly userIds: string[]) {
    super(`unknown users: ${userIds.join(', ')}`);
  }
}

/** A message with this id exists in another channel or from another author. */
export class MessageIdConflictError extends StorageError {
  constructor(readonly messageId: string) {
    super(`message id ${messageId} is already used`);
  }
}

/** No message with this id (or not in the expected channel). */
export class MessageNotFoundError extends StorageError {
  constructor(readonly messageId: string) {
    super(`message ${messageId} does not exist`);
  }
}

/** The message was deleted; it cannot be changed, reacted to, replied to or quoted. */
export class MessageDeletedError extends StorageError {
  constructor(readonly messageId: string) {
    super(`message ${messageId} was deleted`);
  }
}

/** A parent or quoted message that cannot be one: in another channel, or a reply's reply. */
export class InvalidReferenceError extends StorageError {
  constructor(
    readonly messageId: string,
    readonly field: 'parent_id' | 'quoted_message_id',
    readonly reason: string,
  ) {
    super(`${field} ${messageId}: ${reason}`);
  }
}

/** Why an upload cannot be a message's attachment. */
export type AttachmentRefusal = 'not_found' | 'not_owned' | 'wrong_channel' | 'in_use';

/**
 * An attachment a message names cannot be carried by it: no such upload, uploaded by
 * someone else or for another channel, or carried by another message already.
 */
export class AttachmentRefusedError extends StorageError {
  constructor(
    readonly uploadId: string,
    readonly reason: AttachmentRefusal,
  ) {
    super(`attachment ${uploadId}: ${reason}`);
  }
}

/** The message has as many distinct reaction types as allowed. */
export class TooManyReactionTypesError extends StorageError {
  constructor(
    readonly messageId: string,
    readonly max: number,
  ) {
    super(`message ${messageId} has ${max} reaction types already`);
  }
}

/** The database could not be reached or failed. */
export class StorageUnavailableError extends StorageError {
  constructor(readonly reason: unknown) {
    super(`storage unavailable: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}
