import type { Messages } from './en.js';
import { pt } from './pt.js';

/**
 * Every string the kit shows, in European Portuguese (`pt-PT`): the Brazilian table with
 * Portugal's words and its "a + infinitive" for what is going on ("A carregar…").
 */
export const ptPT: Messages = {
  ...pt,
  'channel.loading': 'A carregar a conversa…',
  'common.save': 'Guardar',
  'list.loadingOlder': 'A carregar mensagens anteriores…',
  'list.loadingNewer': 'A carregar mensagens seguintes…',
  'message.sending': 'A enviar…',
  'message.deleted': 'Mensagem eliminada',
  'message.openThread': 'Abrir o tópico',
  'typing.one': '{name} está a escrever…',
  'typing.two': '{first} e {second} estão a escrever…',
  'typing.many': 'Várias pessoas estão a escrever…',
  'connection.offline': 'Está offline. As mensagens serão enviadas quando a ligação voltar.',
  'connection.reconnecting': 'A restabelecer a ligação…',
  'channels.loading': 'A carregar as conversas…',
  'actions.reply': 'Responder no tópico',
  'actions.delete': 'Eliminar',
  'actions.confirmDelete': 'Eliminar esta mensagem?',
  'thread.label': 'Tópico',
  'thread.close': 'Fechar o tópico',
  'thread.loading': 'A carregar o tópico…',
  'thread.showInChannel': 'Enviar também para a conversa',
  'pinned.loading': 'A carregar as mensagens fixadas…',
  'notifications.blocked':
    'As notificações estão bloqueadas para este site nas definições do navegador.',
  'search.searching': 'A pesquisar…',
  'search.loadingMore': 'A carregar mais resultados…',
  'files.attach': 'Anexar ficheiros',
  'files.picker': 'Ficheiros a anexar',
  'files.toSend': 'Ficheiros a enviar',
  'files.notAccepted': '{name}: este tipo de ficheiro não é aceite',
  'files.tooMany.one': 'No máximo {count} ficheiro por mensagem',
  'files.tooMany.other': 'No máximo {count} ficheiros por mensagem',
  'files.download': 'Transferir',
  'files.downloadHint': 'transferir',
  'files.uploading': 'A enviar',
};
