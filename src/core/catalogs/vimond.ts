/**
 * Vimond error codes: every row of Vimond's "Error response" tables (63 rows,
 * service groups 0–10xxx), with the title and description spelled exactly as
 * Vimond publishes them (INVAILD_DEVICE, UNSUFFICIENT_QUALITY_ENTITLEMENT).
 * Source: Vimond API documentation, "Error response".
 *
 * Neither Vimond's code nor its title is unique (3003 has two titles,
 * ASSET_NOT_FOUND is 2000 and 3000), so each row's registry key is its title
 * in snake_case followed by its code: `asset_not_found_2000`. The pair is
 * unique, and a key can be written from what a Vimond client sees.
 *
 * Vimond gives no HTTP statuses; the ones here are this library's choice
 * (see the README's Vimond status table).
 */
import type { CodeDefinition, Definitions } from '../registry/registry';
import type { StatusCodeMap } from '../normalize/normalize';

/** A registry definition plus the Vimond identity the Vimond format sends. `message` is Vimond's `detail`. */
export interface VimondCodeDefinition extends CodeDefinition {
  /** Vimond's numeric code, sent as a string. */
  readonly vimondCode: string;
  /** Vimond's UPPER_SNAKE error name. */
  readonly title: string;
}

export type VimondCatalog = { readonly [key: string]: VimondCodeDefinition };

export const vimondCatalog = {
  unknown_0: { vimondCode: '0', title: 'UNKNOWN', status: 500, action: 'none', message: 'Unknown error' },
  invalid_authentication_1000: {
    vimondCode: '1000',
    title: 'INVALID_AUTHENTICATION',
    status: 401,
    action: 'authentication',
    message: 'Invalid authentication token',
  },
  missing_authentication_1001: {
    vimondCode: '1001',
    title: 'MISSING_AUTHENTICATION',
    status: 401,
    action: 'authentication',
    message: 'Missing authentication token',
  },
  invalid_query_param_1002: {
    vimondCode: '1002',
    title: 'INVALID_QUERY_PARAM',
    status: 400,
    action: 'none',
    message: 'Empty or invalid query parameter',
  },
  invalid_request_param_1003: {
    vimondCode: '1003',
    title: 'INVALID_REQUEST_PARAM',
    status: 400,
    action: 'none',
    message: 'Empty or invalid request parameter',
  },
  service_unavailable_1004: {
    vimondCode: '1004',
    title: 'SERVICE_UNAVAILABLE',
    status: 503,
    action: 'retry',
    message: 'Could not reach external resources',
  },
  internal_error_1005: { vimondCode: '1005', title: 'INTERNAL_ERROR', status: 500, action: 'none', message: 'Internal server error' },
  invalid_subprofile_1006: {
    vimondCode: '1006',
    title: 'INVALID_SUBPROFILE',
    status: 401,
    action: 'authentication',
    message: 'Invalid subprofile token',
  },
  invalid_tenant_1007: { vimondCode: '1007', title: 'INVALID_TENANT', status: 400, action: 'none', message: 'Invalid tenant' },
  resource_not_found_1008: {
    vimondCode: '1008',
    title: 'RESOURCE_NOT_FOUND',
    status: 404,
    action: 'none',
    message: 'The requested resource was not found',
  },
  unauthorized_access_1009: {
    vimondCode: '1009',
    title: 'UNAUTHORIZED_ACCESS',
    status: 403,
    action: 'none',
    message: 'User lacks required admin access',
  },
  invalid_request_body_1010: {
    vimondCode: '1010',
    title: 'INVALID_REQUEST_BODY',
    status: 400,
    action: 'none',
    message: 'Empty or invalid request body',
  },
  asset_not_found_2000: {
    vimondCode: '2000',
    title: 'ASSET_NOT_FOUND',
    status: 404,
    action: 'none',
    message: 'The requested asset does not exist',
  },
  category_not_found_2001: {
    vimondCode: '2001',
    title: 'CATEGORY_NOT_FOUND',
    status: 404,
    action: 'none',
    message: 'The requested category does not exist',
  },
  content_panel_not_found_2002: {
    vimondCode: '2002',
    title: 'CONTENT_PANEL_NOT_FOUND',
    status: 404,
    action: 'none',
    message: 'The requested content panel does not exist',
  },
  show_not_found_2003: {
    vimondCode: '2003',
    title: 'SHOW_NOT_FOUND',
    status: 404,
    action: 'none',
    message: 'The requested show does not exist',
  },
  invalid_sort_param_2004: {
    vimondCode: '2004',
    title: 'INVALID_SORT_PARAM',
    status: 400,
    action: 'none',
    message: 'Invalid sort parameter',
  },
  epg_is_not_enabled_2006: {
    vimondCode: '2006',
    title: 'EPG_IS_NOT_ENABLED',
    status: 404,
    action: 'configuration',
    message: 'EPG is not enabled for the requested tenant',
  },
  epg_date_is_out_of_bound_2007: {
    vimondCode: '2007',
    title: 'EPG_DATE_IS_OUT_OF_BOUND',
    status: 400,
    action: 'none',
    message: 'EPG date range for the requested tenant is out of the allowed window',
  },
  asset_not_found_3000: {
    vimondCode: '3000',
    title: 'ASSET_NOT_FOUND',
    status: 404,
    action: 'none',
    message: 'The asset requested does not exist',
  },
  invalid_locales_3001: {
    vimondCode: '3001',
    title: 'INVALID_LOCALES',
    status: 400,
    action: 'none',
    message: 'Invalid locales provided via the Accept-Languages header',
  },
  missing_ip_3002: {
    vimondCode: '3002',
    title: 'MISSING_IP',
    status: 400,
    action: 'none',
    message: 'The IP address associated with the request is missing or invalid',
  },
  missing_content_package_3003: {
    vimondCode: '3003',
    title: 'MISSING_CONTENT_PACKAGE',
    status: 403,
    action: 'none',
    message: 'The user lacks a valid subscription to access this asset (v1 of playback API only).',
  },
  missing_entitlement_3003: {
    vimondCode: '3003',
    title: 'MISSING_ENTITLEMENT',
    status: 403,
    action: 'none',
    message:
      'The user does not have valid access to watch this asset (this error is only for v2 of playback API, changed to better reflect the actual cause in the case of missing PPV entitlements as well)',
  },
  invalid_geo_location_3004: {
    vimondCode: '3004',
    title: 'INVALID_GEO_LOCATION',
    status: 403,
    action: 'none',
    message: 'The requested asset is not available in the user’s location.',
  },
  no_stream_available_3005: {
    vimondCode: '3005',
    title: 'NO_STREAM_AVAILABLE',
    status: 404,
    action: 'none',
    message: 'No stream available after applying request filters',
  },
  device_limit_exceeded_3006: {
    vimondCode: '3006',
    title: 'DEVICE_LIMIT_EXCEEDED',
    status: 403,
    action: 'none',
    message: 'The user has exceeded the total number of allowed devices.',
  },
  invalid_stream_profile_3007: {
    vimondCode: '3007',
    title: 'INVALID_STREAM_PROFILE',
    status: 400,
    action: 'none',
    message: 'The requested quality does not match defined qualities.',
  },
  unsufficient_quality_entitlement_3008: {
    vimondCode: '3008',
    title: 'UNSUFFICIENT_QUALITY_ENTITLEMENT',
    status: 403,
    action: 'none',
    message: 'The asset has available streams, but the user lacks sufficient quality entitlements.',
  },
  failed_to_fetch_log_data_configuration_3009: {
    vimondCode: '3009',
    title: 'FAILED_TO_FETCH_LOG_DATA_CONFIGURATION',
    status: 500,
    action: 'none',
    message: 'Unable to retrieve log data configuration',
  },
  failed_to_compute_log_data_configuration_3010: {
    vimondCode: '3010',
    title: 'FAILED_TO_COMPUTE_LOG_DATA_CONFIGURATION',
    status: 500,
    action: 'none',
    message: 'Failed to compute log data',
  },
  anonymous_ip_not_allowed_3011: {
    vimondCode: '3011',
    title: 'ANONYMOUS_IP_NOT_ALLOWED',
    status: 403,
    action: 'none',
    message: 'The request IP address is associated with an anonymization service.',
  },
  bad_stream_3012: {
    vimondCode: '3012',
    title: 'BAD_STREAM',
    status: 500,
    action: 'none',
    message: 'The stream is invalid or missing required configuration',
  },
  asset_not_started_3013: {
    vimondCode: '3013',
    title: 'ASSET_NOT_STARTED',
    status: 403,
    action: 'none',
    message: 'The asset playback has not started yet',
  },
  invalid_device_information_3014: {
    vimondCode: '3014',
    title: 'INVALID_DEVICE_INFORMATION',
    status: 400,
    action: 'none',
    message: 'The provided device information was missing or not valid.',
  },
  invalid_until_entitlement_claim_3015: {
    vimondCode: '3015',
    title: 'INVALID_UNTIL_ENTITLEMENT_CLAIM',
    status: 401,
    action: 'none',
    message: 'The ‘until’ claim in entitlement is malformed and does not follow the ISO8601 timestamp format.',
  },
  malformed_entitlements_claim_3016: {
    vimondCode: '3016',
    title: 'MALFORMED_ENTITLEMENTS_CLAIM',
    status: 401,
    action: 'none',
    message: 'The ‘entitlements’ claim is malformed',
  },
  unauthorized_read_4000: {
    vimondCode: '4000',
    title: 'UNAUTHORIZED_READ',
    status: 403,
    action: 'none',
    message: 'User does not have the required read access',
  },
  unauthorized_write_4001: {
    vimondCode: '4001',
    title: 'UNAUTHORIZED_WRITE',
    status: 403,
    action: 'none',
    message: 'User does not have the required write access',
  },
  subprofile_not_found_4002: {
    vimondCode: '4002',
    title: 'SUBPROFILE_NOT_FOUND',
    status: 404,
    action: 'none',
    message: 'Unable to find the requested subprofile',
  },
  invalid_sub_profile_4003: {
    vimondCode: '4003',
    title: 'INVALID_SUB_PROFILE',
    status: 400,
    action: 'none',
    message: 'Invalid subprofile in the request body',
  },
  error_creating_token_4004: {
    vimondCode: '4004',
    title: 'ERROR_CREATING_TOKEN',
    status: 500,
    action: 'none',
    message: 'Error occurred while creating a subprofile token.',
  },
  subprofile_already_exists_4005: {
    vimondCode: '4005',
    title: 'SUBPROFILE_ALREADY_EXISTS',
    status: 409,
    action: 'none',
    message: 'A subprofile with the given ID already exists',
  },
  subprofile_limit_exceeded_4006: {
    vimondCode: '4006',
    title: 'SUBPROFILE_LIMIT_EXCEEDED',
    status: 403,
    action: 'none',
    message: 'User exceeded the maximum subprofile limit.',
  },
  subprofile_limit_invalid_config_4007: {
    vimondCode: '4007',
    title: 'SUBPROFILE_LIMIT_INVALID_CONFIG',
    status: 500,
    action: 'none',
    message: 'Invalid subprofile max limit configuration',
  },
  playlist_not_found_5000: {
    vimondCode: '5000',
    title: 'PLAYLIST_NOT_FOUND',
    status: 404,
    action: 'none',
    message: 'The requested playlist does not exist',
  },
  playlist_not_valid_5001: {
    vimondCode: '5001',
    title: 'PLAYLIST_NOT_VALID',
    status: 400,
    action: 'none',
    message: 'Invalid playlist received',
  },
  missing_user_info_5004: {
    vimondCode: '5004',
    title: 'MISSING_USER_INFO',
    status: 400,
    action: 'none',
    message: 'Missing user information in the request',
  },
  viewing_history_not_found_6000: {
    vimondCode: '6000',
    title: 'VIEWING_HISTORY_NOT_FOUND',
    status: 404,
    action: 'none',
    message: 'Viewing history for the required asset does not exist.',
  },
  malformed_event_7000: { vimondCode: '7000', title: 'MALFORMED_EVENT', status: 400, action: 'none', message: 'Empty or malformed event' },
  event_mismatch_7001: {
    vimondCode: '7001',
    title: 'EVENT_MISMATCH',
    status: 400,
    action: 'none',
    message: 'The event does not match the request',
  },
  session_kicked_7002: {
    vimondCode: '7002',
    title: 'SESSION_KICKED',
    status: 403,
    action: 'none',
    message: 'One or more sessions are not allowed to continue playing the stream',
  },
  failed_to_fetch_log_data_configuration_7003: {
    vimondCode: '7003',
    title: 'FAILED_TO_FETCH_LOG_DATA_CONFIGURATION',
    status: 500,
    action: 'none',
    message: 'Unable to retrieve log data configuration',
  },
  expired_logdata_7004: { vimondCode: '7004', title: 'EXPIRED_LOGDATA', status: 400, action: 'none', message: 'The log data has expired' },
  invalid_logdata_7005: { vimondCode: '7005', title: 'INVALID_LOGDATA', status: 400, action: 'none', message: 'The log data is invalid' },
  viewingsession_notfound_7006: {
    vimondCode: '7006',
    title: 'VIEWINGSESSION_NOTFOUND',
    status: 404,
    action: 'none',
    message: 'Unable to find the viewing session',
  },
  usage_not_found_10001: {
    vimondCode: '10001',
    title: 'USAGE_NOT_FOUND',
    status: 404,
    action: 'none',
    message: 'The requested usage does not exist',
  },
  usage_report_not_found_10002: {
    vimondCode: '10002',
    title: 'USAGE_REPORT_NOT_FOUND',
    status: 404,
    action: 'none',
    message: 'Unable to find usages for the given user',
  },
  device_denied_10003: {
    vimondCode: '10003',
    title: 'DEVICE_DENIED',
    status: 403,
    action: 'none',
    message: 'The device does not meet the ruleset requirements',
  },
  device_not_found_10004: {
    vimondCode: '10004',
    title: 'DEVICE_NOT_FOUND',
    status: 404,
    action: 'none',
    message: 'The requested device was not found',
  },
  ruleset_not_found_10005: {
    vimondCode: '10005',
    title: 'RULESET_NOT_FOUND',
    status: 404,
    action: 'none',
    message: 'The requested ruleset does not exist',
  },
  device_deletion_denied_10006: {
    vimondCode: '10006',
    title: 'DEVICE_DELETION_DENIED',
    status: 403,
    action: 'none',
    message: 'Deletion of the device was denied',
  },
  invaild_device_10007: { vimondCode: '10007', title: 'INVAILD_DEVICE', status: 400, action: 'none', message: 'Device was invalid' },
} as const satisfies VimondCatalog;

/** A catalog's rows as registry definitions: the Vimond identity stays with the Vimond formatter. */
export type VimondDefinitions<T extends VimondCatalog> = { readonly [K in keyof T]: Omit<T[K], 'vimondCode' | 'title'> };

/**
 * The registry definitions of a Vimond catalog, for `createRegistry`. A
 * service that adds its own rows passes the same catalog here and to
 * `createVimondFormatter`.
 *
 * @example
 * const registry = createRegistry(vimondDefinitions(vimondCatalog), { name: 'vimond' });
 */
export function vimondDefinitions<const T extends VimondCatalog>(catalog: T): VimondDefinitions<T> {
  const definitions: Record<string, CodeDefinition> = {};
  for (const [key, { vimondCode: _code, title: _title, ...definition }] of Object.entries(catalog)) {
    definitions[key] = definition;
  }
  return definitions as VimondDefinitions<T>;
}

export const vimondCodes = vimondDefinitions(vimondCatalog) satisfies Definitions;

/**
 * The closest Vimond row for common statuses thrown with nothing else (an
 * http-errors error): vimondRegistry's `statusCodes`. Every other status gets
 * the registry's client_error or server_error, sent as Vimond's UNKNOWN (0).
 */
export const vimondStatusCodes = Object.freeze({
  400: 'invalid_request_param_1003',
  401: 'invalid_authentication_1000',
  404: 'resource_not_found_1008',
  500: 'internal_error_1005',
  503: 'service_unavailable_1004',
} as const) satisfies StatusCodeMap;
