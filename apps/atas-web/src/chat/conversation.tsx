'use client';
import {
  Channel,
  MessageInput,
  MessageList,
  PinnedMessages,
  Thread,
  TypingIndicator,
  type MessageAction,
} from '@parley/react';
import { Attachments } from '@parley/react/attachments';

/**
 * Every entry of the kit's actions menu; each shows only where Parley allows it: edit for
 * the author, delete for the author and the channel's owner, pin for the owner — the
 * organizer, who creates request and event channels (Parley's default permissions).
 */
const MESSAGE_ACTIONS: readonly MessageAction[] = [
  'react',
  'reply',
  'quote',
  'edit',
  'delete',
  'pin',
  'copy',
];

/** In a thread, replies are not quoted and have no threads of their own. */
const THREAD_ACTIONS: readonly MessageAction[] = ['react', 'edit', 'delete', 'pin', 'copy'];

/**
 * What speakers and organizers exchange: photos (headshots) and PDFs (slides, bios,
 * contracts). Raster types by name rather than `image/*`, which would offer SVG files that
 * Parley refuses.
 */
export const ACCEPTED_FILES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
];

/**
 * One live conversation of ATAS with everything the kit has: message actions (reactions,
 * threads, quotes, edits, deletes, pins), a thread panel beside the messages, the pinned
 * messages on top (`pinned`), and files (images and PDFs, several per message).
 */
export function Conversation({
  type,
  id,
  placeholder,
  focusMessageId,
  pinned = false,
}: {
  type: string;
  id: string;
  placeholder: string;
  /** A message to show and mark (a search result's): the list loads the page around it. */
  focusMessageId?: string | undefined;
  /** Shows the channel's pinned messages above the conversation. */
  pinned?: boolean;
}) {
  return (
    <Attachments>
      <Channel type={type} id={id} focusMessageId={focusMessageId}>
        {pinned && <PinnedMessages />}
        <div className="conversation">
          <div className="conversation-main">
            <MessageList messageActions={MESSAGE_ACTIONS} />
            <TypingIndicator />
            <MessageInput
              placeholder={placeholder}
              acceptedFiles={ACCEPTED_FILES}
              multipleUploads
            />
          </div>
          <Thread messageActions={THREAD_ACTIONS} acceptedFiles={ACCEPTED_FILES} multipleUploads />
        </div>
      </Channel>
    </Attachments>
  );
}
