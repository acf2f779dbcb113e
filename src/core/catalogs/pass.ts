/**
 * Enhanced Error Codes: the "Error Codes" table of the canonical specification (47 codes).
 * Source: Adobe Pass Authentication, Enhanced Error Codes.
 */
import type { Definitions } from '../registry/registry';

export const passCodes = {
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
  authorization_denied_by_programmer: {
    action: 'none',
    status: 403,
    message: 'The degradation rule applied by the Programmer enforces a "Deny" decision for the current user.',
  },
  bad_request: {
    action: 'none',
    status: 400,
    message: 'The API request is invalid or improperly formed. Review the API documentation to determine the request requirements.',
  },
  individualization_service_unavailable: {
    action: 'none',
    status: 503,
    message: 'The request failed due to the individualization service being unavailable.',
  },
  internal_error: { action: 'none', status: 500, message: 'The request failed due to an internal server error.' },
  invalid_client_time: {
    action: 'none',
    status: 400,
    message:
      'The client machine Date / Time / Timezone is not set correctly. This will likely lead to authentication / authorization errors.',
  },
  invalid_custom_scheme: {
    action: 'none',
    status: 400,
    message:
      'The specified custom scheme used in the application registration is not recognized. Please check the TVE dashboard configuration for the proper custom scheme values.',
  },
  invalid_domain: {
    action: 'none',
    status: 400,
    message: 'The requestor is using an invalid domain. All domains used by a particular Requestor ID need to be whitelisted by Adobe.',
  },
  invalid_header: {
    action: 'none',
    status: 400,
    message:
      'The request failed because it contained an invalid header. Review the API documentation to determine which headers are valid for your request and if there are any limitations for their value.',
  },
  invalid_http_method: {
    action: 'none',
    status: 405,
    message:
      'The HTTP method associated with the request is not supported. Review the API documentation to determine the supported HTTP methods for your request.',
  },
  invalid_parameter_value: {
    action: 'none',
    status: 400,
    message:
      'The request failed because it contained an invalid parameter or parameter value. Review the API documentation to determine which parameters are valid for your request and if there are any limitations for their value.',
  },
  invalid_resource_value: {
    action: 'none',
    status: 400,
    message:
      'The request failed because an invalid or a malformed resource was used. Review the API documentation to determine how complex resources must be encoded for your request and if there are any limitations for their value and/or size.',
  },
  invalid_registration_code: {
    action: 'none',
    status: 404,
    message: 'The specified registration code is not longer valid or has expired.',
  },
  invalid_service_configuration: { action: 'none', status: 500, message: 'The request failed due incorrect service configuration.' },
  missing_authentication_header: {
    action: 'none',
    status: 400,
    message: "The request failed because it doesn't contain the required authentication header for the specific API.",
  },
  missing_resource_mapping: {
    action: 'none',
    status: 400,
    message: 'There is no corresponding mapping for the specified resource. Contact support to fix the required mapping.',
  },
  preauthorization_denied_by_mvpd: {
    action: 'none',
    status: 403,
    message: 'The MVPD has returned a "Deny" decision when requesting pre-authorization for the specified resource.',
  },
  preauthorization_denied_by_programmer: {
    action: 'none',
    status: 403,
    message: 'The degradation rules applied by the Programmer enforce a "Deny" decision for the current user.',
  },
  registration_code_service_unavailable: {
    action: 'none',
    status: 503,
    message: 'The request failed because the registration code service is not available.',
  },
  service_unavailable: {
    action: 'none',
    status: 503,
    message: 'The request failed due to the fact that authentication or authorization service is not available.',
  },
  access_token_unavailable: {
    action: 'none',
    status: 400,
    message:
      'The request failed due to an unexpected error while retrieving the access token. Please check the TVE dashboard configuration for available software statements and registered custom schemes.',
  },
  unsupported_client_version: {
    action: 'none',
    status: 400,
    message:
      'This version of Adobe Pass Authentication SDK is too old and is no longer supported. Please check the API documentation for the steps needed to upgrade to the latest version.',
  },
  network_required_ssl: {
    action: 'configuration',
    status: 403,
    message: 'There is an SSL connection issue for target partner service. Please contact support team.',
  },
  too_many_resources: {
    action: 'configuration',
    status: 403,
    message:
      'The authorization or preauthorization request failed because too many resources were queried. Please contact support team to properly configure the authorization and preauthorization limitations.',
  },
  unknown_programmer: {
    action: 'configuration',
    status: 400,
    message: 'The programmer or service provider is not recognized. Use the TVE Dashboard to register the specified programmer.',
  },
  unknown_application: {
    action: 'configuration',
    status: 400,
    message: 'The application is not recognized. Use the TVE Dashboard to register the specified application.',
  },
  unknown_integration: {
    action: 'configuration',
    status: 400,
    message:
      'The integration between the specified programmer and identity provider does not exist. Use the TVE Dashboard to create the required integration.',
  },
  unknown_software_statement: {
    action: 'configuration',
    status: 401,
    message:
      'The software statement associated with the access token is not recognized. Contact support team in order to clarify the status of the software statement.',
  },
  access_token_expired: {
    action: 'application-registration',
    status: 401,
    message: 'The access token has expired. The application should refresh the access token as indicated in the API documentation.',
  },
  invalid_access_token_signature: {
    action: 'application-registration',
    status: 401,
    message:
      'The access token signature is no longer valid. The application should refresh the access token as indicated in the API documentation.',
  },
  invalid_client_id: {
    action: 'application-registration',
    status: 401,
    message:
      'The associated client identifier is not recognized. The application should follow the application registration process as indicated in the API documentation.',
  },
  authentication_session_expired: {
    action: 'authentication',
    status: 410,
    message: 'The current authentication session has expired. The user must re-authenticate with a supported MVPD in order to continue.',
  },
  authentication_session_missing: {
    action: 'authentication',
    status: 401,
    message:
      'The authentication session associated with this request could not be retrieved. The user must re-authenticate with a supported MVPD in order to continue.',
  },
  authentication_session_invalidated: {
    action: 'authentication',
    status: 401,
    message:
      'The authentication session was invalidated by the identity provider. The user must re-authenticate with a supported MVPD in order to continue.',
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
  identity_not_recognized_by_mvpd: {
    action: 'authentication',
    status: 403,
    message: 'The authorization request failed due to the fact that user identity was not recognized by the MVPD.',
  },
  authorization_expired: {
    action: 'authorization',
    status: 410,
    message:
      'The previous authorization for the specified resource has expired. The user must obtain a new authorization in order to continue.',
  },
  authorization_not_found: {
    action: 'authorization',
    status: 404,
    message: 'No authorization was found for the specified resource. The user must obtain a new authorization in order to continue.',
  },
  device_identifier_mismatch: {
    action: 'authorization',
    status: 403,
    message:
      "The specified device identifier doesn't match the authorization device identification. The user must obtain a new authorization in order to continue.",
  },
  network_connection_failure: {
    action: 'retry',
    status: 403,
    message: 'There was a connection failure with the associated partner service. Retrying the request might solve the issue.',
  },
  network_connection_timeout: {
    action: 'retry',
    status: 403,
    message: 'There was a connection timeout with the associated partner service. Retrying the request might solve the issue.',
  },
  network_received_error: {
    action: 'retry',
    status: 403,
    message:
      'There was a read error while retrieving the response from the associated partner service. Retrying the request might solve the issue.',
  },
  maximum_execution_time_exceeded: {
    action: 'retry',
    status: 403,
    message: 'The request did not complete in the maximum allowed time. Retrying the request might solve the issue.',
  },
  too_many_requests: {
    action: 'retry-after',
    status: 429,
    message:
      'Too many requests have been sent within a given interval. The application can retry the request after the suggested period of time.',
  },
  user_rate_limit_exceeded: {
    action: 'retry-after',
    status: 429,
    message:
      'Too many request have been issued by a particular user within a given interval. The application can retry the request after the suggested period of time.',
  },
} as const satisfies Definitions;
