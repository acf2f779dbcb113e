/**
 * French messages for some of the canonical Pass codes: an example of a
 * message catalog. Codes are never translated; codes left out fall back to
 * the English messages.
 */
import type { MessageCatalog } from '../locale/messages';
import type { passCodes } from './pass';

export const passMessagesFr = {
  bad_request: 'La requête API est invalide ou mal formée. Consultez la documentation de l’API pour connaître les exigences de la requête.',
  internal_error: 'La requête a échoué en raison d’une erreur interne du serveur.',
  invalid_http_method:
    'La méthode HTTP de la requête n’est pas prise en charge. Consultez la documentation de l’API pour connaître les méthodes HTTP prises en charge.',
  service_unavailable: 'La requête a échoué parce que le service d’authentification ou d’autorisation n’est pas disponible.',
  access_token_expired:
    'Le jeton d’accès a expiré. L’application doit actualiser le jeton d’accès comme l’indique la documentation de l’API.',
  authentication_session_expired:
    'La session d’authentification en cours a expiré. L’utilisateur doit s’authentifier à nouveau auprès d’un MVPD pris en charge pour continuer.',
  authorization_denied_by_mvpd: 'Le MVPD a renvoyé une décision « Deny » lors de la demande d’autorisation pour la ressource indiquée.',
  authorization_not_found:
    'Aucune autorisation n’a été trouvée pour la ressource indiquée. L’utilisateur doit obtenir une nouvelle autorisation pour continuer.',
  network_connection_timeout:
    'Le délai de connexion au service partenaire associé a expiré. Renouveler la requête pourrait résoudre le problème.',
  too_many_requests:
    'Trop de requêtes ont été envoyées dans un intervalle donné. L’application peut renouveler la requête après le délai indiqué.',
  user_rate_limit_exceeded:
    'Un même utilisateur a envoyé trop de requêtes dans un intervalle donné. L’application peut renouveler la requête après le délai indiqué.',
} as const satisfies MessageCatalog<keyof typeof passCodes>;
