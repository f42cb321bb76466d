export { Attachments } from './attachments.js';
export { InputFiles } from './input-files.js';
export { MessageFiles } from './message-files.js';
export { Lightbox, type LightboxImage } from './lightbox.js';
export { accepts, fileSize } from './file-rules.js';
