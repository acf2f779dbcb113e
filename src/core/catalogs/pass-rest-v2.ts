/**
 * Enhanced Error Codes: the REST API v2 list (47 codes).
 * Source: Adobe Pass Authentication, Enhanced Error Codes, Lists: REST API v2.
 */
import type { Definitions } from '../registry/registry';

export const passRestV2Codes = {
  invalid_parameter_service_provider: {
    action: 'none',
    status: 400,
    message: 'The service provider parameter value is missing or invalid.',
  },
  invalid_parameter_mvpd: { action: 'none', status: 400, message: 'The mvpd parameter value is missing or invalid.' },
  invalid_parameter_code: { action: 'none', status: 400, message: 'The code parameter value is missing or invalid.' },
  invalid_parameter_resources: { action: 'none', status: 400, message: 'The resources parameter value is missing or invalid.' },
  invalid_parameter_redirect_url: { action: 'none', status: 400, message: 'The redirect URL parameter value is missing or invalid.' },
  invalid_parameter_partner: { action: 'none', status: 400, message: 'The partner parameter value is missing or invalid.' },
  invalid_parameter_saml_response: { action: 'none', status: 400, message: 'The SAML response parameter value is missing or invalid.' },
  invalid_header_device_info: { action: 'none', status: 400, message: 'The device information header value is missing or invalid.' },
  invalid_header_device_identifier: { action: 'none', status: 400, message: 'The device identifier header value is missing or invalid.' },
  invalid_header_identity_for_temporary_access: {
    action: 'none',
    status: 400,
    message: 'The identity for temporary access header value is missing or invalid.',
  },
  invalid_header_pfs_permission_access_not_present: {
    action: 'none',
    status: 400,
    message: 'The permission access status value from the partner framework status header is not present.',
  },
  invalid_header_pfs_permission_access_not_determined: {
    action: 'none',
    status: 400,
    message: 'The permission access status value from the partner framework status header is undetermined.',
  },
  invalid_header_pfs_permission_access_not_granted: {
    action: 'none',
    status: 400,
    message: 'The permission access status value from the partner framework status header is not granted.',
  },
  invalid_header_pfs_provider_id_not_determined: {
    action: 'none',
    status: 400,
    message: 'The provider id value from the partner framework status header is not associated with a known mvpd.',
  },
  invalid_header_pfs_provider_id_mismatch: {
    action: 'none',
    status: 400,
    message: 'The provider id value from the partner framework status header does not match the mvpd sent as parameter.',
  },
  invalid_header_pfs_provider_info_expired: {
    action: 'none',
    status: 400,
    message: 'The provider information from the partner framework status header has expired.',
  },
  invalid_integration: {
    action: 'none',
    status: 400,
    message: 'The integration between the specified service provider and mvpd does not exist or is disabled.',
  },
  invalid_authentication_session: {
    action: 'none',
    status: 400,
    message: 'The authentication session associated with this request is missing or invalid.',
  },
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
  authorization_denied_by_degradation_rule: {
    action: 'none',
    status: 403,
    message:
      'The integration between the specified service provider and mvpd has a degradation rule applied that denies authorization for the requested resources.',
  },
  internal_server_error: { action: 'none', status: 500, message: 'The request failed due to an internal server error.' },
  too_many_resources: {
    action: 'configuration',
    status: 403,
    message:
      'The authorization or preauthorization request failed because too many resources were queried. Please contact support team to properly configure the authorization and preauthorization limitations.',
  },
  invalid_configuration_user_metadata_certificate: {
    action: 'configuration',
    status: 500,
    message: 'The user metadata certificate configuration is missing or invalid.',
  },
  invalid_configuration_temporary_access: {
    action: 'configuration',
    status: 500,
    message: 'The temporary access configuration is invalid.',
  },
  invalid_configuration_platform: {
    action: 'configuration',
    status: 500,
    message: 'The platform configuration is missing or invalid for integration.',
  },
  invalid_configuration_platform_id: {
    action: 'configuration',
    status: 500,
    message: 'The platform id configuration is missing or invalid.',
  },
  invalid_configuration_platform_trait: {
    action: 'configuration',
    status: 500,
    message: 'The platform trait configuration is missing or invalid.',
  },
  invalid_configuration_platform_category_trait: {
    action: 'configuration',
    status: 500,
    message: 'The platform category trait configuration is missing or invalid.',
  },
  invalid_configuration_platform_services: {
    action: 'configuration',
    status: 500,
    message: 'The platform services configuration is missing or invalid for integration.',
  },
  invalid_configuration_mvpd_platform: {
    action: 'configuration',
    status: 500,
    message: 'The mvpd platform configuration is missing or invalid for mvpd and platform.',
  },
  invalid_configuration_mvpd_platform_boarding_status: {
    action: 'configuration',
    status: 500,
    message: 'The mvpd platform boarding status configuration is missing or invalid for mvpd and platform.',
  },
  invalid_configuration_mvpd_platform_profile_exchange: {
    action: 'configuration',
    status: 500,
    message: 'The mvpd platform profile exchange configuration is missing or invalid for mvpd and platform.',
  },
  invalid_access_token_service_provider: {
    action: 'application-registration',
    status: 401,
    message: 'The access token is invalid due to invalid service provider.',
  },
  invalid_access_token_client_application: {
    action: 'application-registration',
    status: 401,
    message: 'The access token is invalid due to invalid client application.',
  },
  authenticated_profile_missing: {
    action: 'authentication',
    status: 403,
    message: 'The authenticated profile associated with this request is missing.',
  },
  authenticated_profile_expired: {
    action: 'authentication',
    status: 403,
    message: 'The authenticated profile associated with this request has expired.',
  },
  authenticated_profile_invalidated: {
    action: 'authentication',
    status: 403,
    message: 'The authenticated profile associated with this request has been invalidated.',
  },
  temporary_access_duration_limit_exceeded: {
    action: 'authentication',
    status: 403,
    message: 'The temporary access duration limit has been exceeded.',
  },
  temporary_access_resources_limit_exceeded: {
    action: 'authentication',
    status: 403,
    message: 'The temporary access resources limit has been exceeded.',
  },
  authorization_denied_by_hba_policies: {
    action: 'authentication',
    status: 403,
    message:
      'The MVPD has returned a "Deny" decision due home-based authentication policies. The current authentication was obtain through a Home-based authentication flow and but the device is no longer in-home when requesting authorization for the specified resource. The user must re-authenticate with a supported MVPD in order to continue.',
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
