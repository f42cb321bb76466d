import type { Email } from './mailer.js';

/** The emails ATAS sends, in plain text with the links written out. */

export function inviteNewSpeakerEmail(input: {
  to: string;
  organizerName: string;
  eventTitle: string;
  message: string | null;
  link: string;
  expiresAt: Date;
}): Email {
  return {
    to: input.to,
    subject: `${input.organizerName} invites you to speak at ${input.eventTitle}`,
    text: [
      `${input.organizerName} invites you to speak at ${input.eventTitle}.`,
      ...quoted(input.message),
      '',
      'Open this link to choose your name and password and see the invitation:',
      input.link,
      '',
      `The link works once, until ${input.expiresAt.toUTCString()}.`,
      'If you did not expect this email, ignore it.',
    ].join('\n'),
  };
}

export function inviteExistingSpeakerEmail(input: {
  to: string;
  organizerName: string;
  eventTitle: string;
  message: string | null;
  link: string;
}): Email {
  return {
    to: input.to,
    subject: `${input.organizerName} invites you to speak at ${input.eventTitle}`,
    text: [
      `${input.organizerName} invites you to speak at ${input.eventTitle}.`,
      ...quoted(input.message),
      '',
      'The invitation is on your ATAS dashboard:',
      input.link,
    ].join('\n'),
  };
}

/** To the organizer: the speaker accepted or declined, with the request's page. */
export function invitationAnsweredEmail(input: {
  to: string;
  speakerName: string;
  eventTitle: string;
  answer: 'accepted' | 'declined';
  link: string;
}): Email {
  return {
    to: input.to,
    subject: `${input.speakerName} ${input.answer} your invitation to ${input.eventTitle}`,
    text: [
      `${input.speakerName} ${input.answer} your invitation to speak at ${input.eventTitle}.`,
      '',
      input.answer === 'accepted'
        ? 'The request, its Communication Log and the event chat are on your ATAS dashboard:'
        : 'The request and its Communication Log are on your ATAS dashboard:',
      input.link,
    ].join('\n'),
  };
}

export function passwordResetEmail(input: { to: string; link: string; expiresAt: Date }): Email {
  return {
    to: input.to,
    subject: 'Reset your ATAS password',
    text: [
      'Someone asked to reset the password of your ATAS account.',
      'Open this link to choose a new one:',
      input.link,
      '',
      `The link works once, until ${input.expiresAt.toUTCString()}.`,
      'If it was not you, ignore this email: your password stays as it is.',
    ].join('\n'),
  };
}

function quoted(message: string | null): string[] {
  if (message === null || message.trim() === '') return [];
  return ['', ...message.split('\n').map((line) => `> ${line}`)];
}
