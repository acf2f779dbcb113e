/**
 * Enhanced Error Codes: the (legacy) REST API v1 list (25 codes); some codes allow several statuses.
 * Source: Adobe Pass Authentication, Enhanced Error Codes, Lists: (Legacy) REST API v1.
 */
import type { Definitions } from '../registry/registry';

export const passRestV1Codes = {
  invalid_requestor: { action: 'none', status: 400, message: 'The requestor parameter is missing or invalid.' },
  invalid_device_info: { action: 'none', status: 400, message: 'The device information is missing or invalid.' },
  invalid_device_id: { action: 'none', status: 400, message: 'The device identifier is missing or invalid.' },
  missing_resource: { action: 'none', status: [400, 412], message: 'The resource parameter is missing.' },
  malformed_authz_request: { action: 'none', status: [400, 412], message: 'Authorization request is null or invalid.' },
  preauthorization_denied_by_mvpd: {
    action: 'none',
    status: 403,
    message: 'The MVPD has returned a “Deny” decision when requesting pre-authorization for the specified resource.',
  },
  authorization_denied_by_mvpd: {
    action: 'none',
    status: 403,
    message: 'The MVPD has returned a "Deny" decision when requesting authorization for the specified resource.',
  },
  authorization_denied_by_parental_controls: {
    action: 'none',
    status: 403,
    message: 'The MVPD has returned a "Deny" decision due parental controls settings for the specified resource.',
  },
  internal_error: { action: 'none', status: [500, 400, 405], message: 'The request failed due to an internal server error.' },
  unknown_integration: {
    action: 'configuration',
    status: [400, 412],
    message:
      'The integration between the specified programmer and identity provider does not exist. Use the TVE Dashboard to create the required integration.',
  },
  too_many_resources: {
    action: 'configuration',
    status: 403,
    message:
      'The authorization or preauthorization request failed because too many resources were queried. Please contact support team to properly configure the authorization and preauthorization limitations.',
  },
  authentication_session_issuer_mismatch: {
    action: 'authentication',
    status: 400,
    message:
      'The authorization request failed due to the fact that the indicated MVPD for the authorization flow is different from the one who issued the authentication session. The user must re-authenticate with the desired MVPD in order to continue.',
  },
  authorization_denied_by_hba_policies: {
    action: 'authentication',
    status: 403,
    message:
      'The MVPD has returned a "Deny" decision due home-based authentication policies. The current authentication was obtained using a home-based authentication flow (HBA) but the device is no longer at-home when requesting authorization for the specified resource. The user must re-authenticate with a supported MVPD in order to continue.',
  },
  authorization_denied_by_session_invalidated: {
    action: 'authentication',
    status: 403,
    message:
      'The authentication session was invalidated by the identity provider. The user must re-authenticate with a supported MVPD in order to continue.',
  },
  identity_not_recognized_by_mvpd: {
    action: 'authentication',
    status: 403,
    message: 'The authorization request failed due to the fact that user identity was not recognized by the MVPD.',
  },
  authentication_session_invalidated: {
    action: 'authentication',
    status: 403,
    message:
      'The authentication session was invalidated by the identity provider. The user must re-authenticate with a supported MVPD in order to continue.',
  },
  authentication_session_missing: {
    action: 'authentication',
    status: [403, 412],
    message:
      'The authentication session associated with this request could not be retrieved. The user must re-authenticate with a supported MVPD in order to continue.',
  },
  authentication_session_expired: {
    action: 'authentication',
    status: [403, 412],
    message: 'The current authentication session has expired. The user must re-authenticate with a supported MVPD in order to continue.',
  },
  preauthorization_authentication_session_missing: {
    action: 'authentication',
    status: 412,
    message:
      'The authentication session associated with this request could not be retrieved. The user must re-authenticate with a supported MVPD in order to continue.',
  },
  preauthorization_authentication_session_expired: {
    action: 'authentication',
    status: 412,
    message: 'The current authentication session has expired. The user must re-authenticate with a supported MVPD in order to continue.',
  },
  authorization_not_found: {
    action: 'authorization',
    status: [403, 404],
    message: 'No authorization was found for the specified resource. The user must obtain a new authorization in order to continue.',
  },
  authorization_expired: {
    action: 'authorization',
    status: 410,
    message:
      'The previous authorization for the specified resource has expired. The user must obtain a new authorization in order to continue.',
  },
  network_received_error: {
    action: 'retry',
    status: 403,
    message:
      'There was a read error while retrieving the response from the associated partner service. Retrying the request might solve the issue.',
  },
  network_connection_timeout: {
    action: 'retry',
    status: 403,
    message: 'There was a connection timeout with the associated partner service. Retrying the request might solve the issue.',
  },
  maximum_execution_time_exceeded: {
    action: 'retry',
    status: 403,
    message: 'The request did not complete in the maximum allowed time. Retrying the request might solve the issue.',
  },
} as const satisfies Definitions;
