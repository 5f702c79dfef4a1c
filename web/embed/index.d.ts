// Types of @reachlens/embed: the mount() options and handle, every message of the host
// protocol (docs/contract.md section 9, plus reachlens.resize and reachlens.results),
// and the documents they carry (docs/contract.md: reachlens.dataset/1, campaign/1,
// rules/1, preview/1, results/1, reconcile/1). The JSON Schemas in docs/schemas/ say the
// same with every constraint; these types are for the editor and the compiler.

// ------------------------------------------------------------------ documents

/** Unix seconds. */
export type UnixSeconds = number;
export type CampaignKind = 'moment' | 'mass_send' | 'group_send';
export type CampaignOrigin = 'enterprise' | 'employee';
export type Industry = 'retail' | 'education' | 'tobacco_alcohol' | 'finance' | 'pharma' | 'government' | 'other';

/** Audience expression of a mass send (docs/contract.md section 4): one operator key per node. */
export type AudienceExpression =
  | { all: AudienceExpression[] }
  | { any: AudienceExpression[] }
  | { not: AudienceExpression }
  | { tags_any: string[] }
  | { tags_all: string[] }
  | { tags_none: string[] }
  | { tag_filter: string[][] }
  | { owner: string[] }
  | { department: number[] }
  | { gender: 0 | 1 | 2 }
  | { added_within_days: number }
  | { attr: string; op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'contains' | 'exists' | 'within_days';
      value?: AttributeValue | AttributeValue[] }
  | { received: { kind: 'moment' | 'mass_send' | 'any'; within_days: number; min: number } }
  | { not_interested_active: boolean }
  | { customers: string[] };

export type AttributeValue = number | string | boolean;

export type Attachment =
  | { msgtype: 'image'; image: { name: string; bytes: number; width: number; height: number; media?: string } }
  | { msgtype: 'video'; video: { name: string; bytes: number; seconds: number; media?: string } }
  | { msgtype: 'link'; link: { title: string; url: string; desc?: string } }
  | { msgtype: 'miniprogram'; miniprogram: { title: string; appid: string; page: string } }
  | { msgtype: 'file'; file: { name: string; bytes: number; media?: string } };

/** reachlens.campaign/1 (docs/contract.md 1.2, group sends 8.1). */
export interface Campaign {
  format?: 'reachlens.campaign/1';
  id: string;
  kind: CampaignKind;
  origin: CampaignOrigin;
  send_time?: UnixSeconds;
  senders?: { user_list?: string[]; department_list?: number[] };
  audience?: { tag_list?: string[]; filter?: AudienceExpression; chat_list?: string[] };
  content?: { text?: string; attachments?: Attachment[] };
  [extra: string]: unknown;
}

export interface FollowUser {
  userid: string;
  createtime: UnixSeconds;
  tag_id: string[];
  state: string;
  deleted: boolean;
  last_chat_time?: UnixSeconds;
  [extra: string]: unknown;
}

export interface Customer {
  external_userid: string;
  name: string;
  gender: 0 | 1 | 2;
  attributes: Record<string, AttributeValue>;
  follow_user: FollowUser[];
  [extra: string]: unknown;
}

export type Delivery =
  | { campaign_id: string; kind: 'moment' | 'mass_send'; origin: CampaignOrigin; external_userid: string;
      userid: string; time: UnixSeconds }
  | { campaign_id: string; kind: 'group_send'; origin: CampaignOrigin; chat_id: string; userid: string;
      time: UnixSeconds };

export interface GroupChat {
  chat_id: string;
  name: string;
  owner: string;
  /** 0 normal, 1 owner resigned (awaiting a new owner), 2 being transferred, 3 transferred. */
  status: 0 | 1 | 2 | 3;
  create_time: UnixSeconds;
  members: Array<{ type: 1 | 2; userid?: string; external_userid?: string; join_time: UnixSeconds }>;
  [extra: string]: unknown;
}

/** How people see one customer attribute (docs/attribute-meta.md). Display only: no rule reads it. */
export type AttributeMeta = {
  /** Display name (Chinese), not empty. */
  name: string;
  name_en?: string;
  unit?: string;
  [extra: string]: unknown;
} & (
  | { type: 'number' | 'string' | 'timestamp' | 'bool' }
  | { type: 'enum'; values: Array<string | number | { value: string | number; name?: string; name_en?: string }> }
);

/** reachlens.dataset/1 (docs/contract.md 1.1, groupchats 8.1). Lists left out are empty. */
export interface Dataset {
  format: 'reachlens.dataset/1';
  enterprise: { corp_name: string; industry: Industry; verified: boolean; tz_offset_minutes?: number; [extra: string]: unknown };
  now: UnixSeconds;
  departments?: Array<{ id: number; name: string; parentid: number }>;
  employees?: Array<{ userid: string; name: string; department: number[]; status: 'active' | 'resigned';
                     moments_enabled: boolean; [extra: string]: unknown }>;
  tag_groups?: Array<{ group_id: string; group_name: string; tags: Array<{ id: string; name: string; [extra: string]: unknown }> }>;
  customers?: Customer[];
  deliveries?: Delivery[];
  not_interested?: Array<{ external_userid: string; userid: string; time: UnixSeconds }>;
  scheduled?: Array<Campaign & { send_time: UnixSeconds }>;
  groupchats?: GroupChat[];
  /** ReachLens's own optional field: attribute key -> display name, type, unit, allowed values. */
  attribute_meta?: Record<string, AttributeMeta>;
  [extra: string]: unknown;
}

export interface QuotaRule {
  id: string;
  kind: CampaignKind | 'any';
  origin: CampaignOrigin | 'any';
  count: number | 'days_in_month';
  window: 'day' | 'week' | 'month' | 'rolling_days';
  days?: number;
  per: 'customer' | 'customer_sender' | 'group';
}
export type MultiSender = 'each' | 'first_added' | 'last_chat';

/** reachlens.rules/1 (docs/contract.md 1.3). */
export interface Rules {
  format: 'reachlens.rules/1';
  name?: string;
  quotas: QuotaRule[];
  policies: QuotaRule[];
  not_interested_hours: number;
  multi_sender: { moment: MultiSender; mass_send: MultiSender };
  moments_excluded_industries: string[];
  moments_require_verified: boolean;
  content?: { moment?: Partial<Record<'text_max_chars' | 'image_max_count' | 'video_max_count' | 'link_max_count' |
                                    'image_max_bytes' | 'image_max_pixels' | 'video_max_bytes' | 'video_max_seconds' |
                                    'link_title_max_bytes', number>>;
              mass_send?: Partial<Record<'text_max_bytes' | 'attachments_max_count' | 'image_max_bytes' |
                                         'video_max_bytes' | 'file_max_bytes' | 'link_title_max_bytes' |
                                         'link_desc_max_bytes' | 'link_url_max_bytes' |
                                         'miniprogram_title_max_bytes', number>> };
}
export type PresetName = 'wecom-2020' | 'wecom-2021' | 'wecom-2025';

/** "reached" is never a key: reasons are sender_inactive, not_friend, not_interested,
 *  no_relation, duplicate (senders only), quota:<id>, policy:<id>. */
export type BlockReason = 'sender_inactive' | 'not_friend' | 'not_interested' | 'no_relation' | 'duplicate' |
  `quota:${string}` | `policy:${string}`;

export interface Issue { code: string; message: string; [extra: string]: unknown }

/** reachlens.preview/1, the summary (docs/contract.md section 6; group sends 8.3). */
export interface Summary {
  format: 'reachlens.preview/1';
  campaign_id: string;
  send_time: UnixSeconds;
  submittable: boolean;
  errors: Issue[];
  warnings: Issue[];
  /** Customers (groups for a group send) in the audience. */
  audience: number;
  reached: number;
  deliveries: number;
  blocked: Partial<Record<BlockReason, number>>;
  senders: Array<{ userid: string; pairs: number; deliveries: number; blocked: Partial<Record<BlockReason, number>>;
                   requires_confirmation: boolean }>;
  impact: Array<{ campaign_id: string; reached_before: number; reached_after: number }>;
  /** Group sends only: distinct customers reached through groups. */
  members_reached?: number;
  /** Group sends only: of those, customers in two or more reached groups. */
  members_multi?: number;
}

export type ResultsApi = 'externalcontact/get_groupmsg_send_result' | 'externalcontact/get_moment_task' |
  'externalcontact/get_moment_send_result';

/** reachlens.results/1: WeCom's answers after the send (docs/contract.md 7.1). */
export interface Results {
  format: 'reachlens.results/1';
  campaign_id: string;
  responses: Array<{ api: ResultsApi | (string & {}); request: Record<string, unknown>;
                     body: { errcode?: number; errmsg?: string; [field: string]: unknown } }>;
}

export type ActualOutcome = 'delivered' | 'failed_quota' | 'failed_not_friend' | 'not_executed' | 'hidden' | 'unknown';

/** reachlens.reconcile/1 (docs/contract.md 7.3). */
export interface Reconcile {
  format: 'reachlens.reconcile/1';
  campaign_id: string;
  audience: number;
  matrix: Record<'reached' | BlockReason, Partial<Record<ActualOutcome, number>>>;
  agree: number;
  disagree: number;
  accuracy: number;
  senders: Array<{ userid: string; tasks: number; executed: number; execution_rate: number }>;
  rules_fit: Array<{ rules: string; accuracy: number }>;
}

// ------------------------------------------------------------------ messages

export type Locale = 'zh-CN' | 'en';
export type Theme = 'light' | 'dark';

export interface ConfigMessage { type: 'reachlens.config'; apiBase?: string; token?: string; locale?: Locale; theme?: Theme }
export type LoadMessage = { type: 'reachlens.load'; id?: string | number } & ({ dataset: Dataset } | { url: string });
export type RulesMessage = { type: 'reachlens.rules'; id?: string | number } & ({ rules: Rules } | { preset: PresetName | (string & {}) });
export interface CampaignMessage { type: 'reachlens.campaign'; campaign: Campaign; id?: string | number }
export type ResultsMessage = { type: 'reachlens.results'; id?: string | number } & ({ results: Results } | { url: string });
export interface PreviewRequestMessage { type: 'reachlens.preview'; id?: string | number }
/** Host → module. */
export type HostMessage = ConfigMessage | LoadMessage | RulesMessage | CampaignMessage | ResultsMessage | PreviewRequestMessage;

export interface ReadyMessage { type: 'reachlens.ready'; version: string; protocol: 1 }
export interface PreviewMessage { type: 'reachlens.preview'; summary: Summary; id?: string | number }
export interface DraftMessage { type: 'reachlens.draft'; campaign: Campaign }
export interface SubmittedMessage {
  type: 'reachlens.submitted';
  /** The server's id (POST {apiBase}/campaigns answered 201). */
  campaign_id: string;
  response: { id: string; status: 'accepted'; [field: string]: unknown };
}
/** Codes the module sends; others may be added (treat unknown codes as errors too). */
export type ModuleErrorCode = 'invalid_message' | 'invalid_dataset' | 'invalid_rules' | 'invalid_campaign' |
  'invalid_results' | 'load_failed' | 'no_preview' | 'submit_failed' | 'internal';
export interface ErrorMessage { type: 'reachlens.error'; code: ModuleErrorCode | (string & {}); message: string; id?: string | number }
/** The module's preferred size: posted when its page starts (height = min_height until the
 *  dashboard is drawn) and whenever the preferred height changes. CSS pixels. */
export interface ResizeMessage { type: 'reachlens.resize'; height: number; min_width: number; min_height: number }
/** Module → host. */
export type ModuleMessage = ReadyMessage | PreviewMessage | DraftMessage | SubmittedMessage | ErrorMessage | ResizeMessage;

export interface EventMap {
  'reachlens.ready': ReadyMessage;
  'reachlens.preview': PreviewMessage;
  'reachlens.draft': DraftMessage;
  'reachlens.submitted': SubmittedMessage;
  'reachlens.error': ErrorMessage;
  'reachlens.resize': ResizeMessage;
  /** Every message from the module. */
  '*': ModuleMessage;
}
export type EventType = keyof EventMap;

// ------------------------------------------------------------------ SDK

/** Why `ready` rejected (and requests made before it with it):
 *  - timeout: no reachlens.ready within readyTimeout;
 *  - load_failed: the frame loaded but no ReachLens module answered (wrong src, HTTP error,
 *    unreachable server, or a module server whose allowlist lacks this origin: browsers do
 *    not let a page tell these apart);
 *  - refused: this page's Content-Security-Policy blocked the frame (frame-src);
 *  - protocol_mismatch: the module speaks another protocol version;
 *  - destroyed: destroy() was called first. */
export type ReadyErrorCode = 'timeout' | 'load_failed' | 'refused' | 'protocol_mismatch' | 'destroyed';
export type ReachLensErrorCode = ReadyErrorCode | ModuleErrorCode | (string & {});

export declare class ReachLensError extends Error {
  constructor(code: ReachLensErrorCode, message: string, detail?: unknown);
  readonly name: 'ReachLensError';
  readonly code: ReachLensErrorCode;
  /** The module's reachlens.error message, or its reachlens.ready for protocol_mismatch. */
  readonly detail?: ErrorMessage | ReadyMessage | unknown;
}

export interface MountOptions {
  /** The module page (default "/index.html"). Its origin receives every message. */
  src?: string;
  /** API root the module submits to (POST {apiBase}/campaigns); relative to this page's origin. */
  apiBase?: string;
  /** Sent as Authorization: Bearer <token> to apiBase and dataset URLs. */
  token?: string;
  locale?: Locale;
  theme?: Theme;
  /** The tenant: a dataset document, a URL or {url}. */
  dataset?: Dataset | string | { url: string };
  /** A URL for the dataset; default {apiBase}/dataset when apiBase is given; false = none. */
  datasetUrl?: string | false;
  /** A rules profile, a preset name, or {preset}. */
  rules?: Rules | PresetName | (string & {}) | { preset: string };
  preset?: PresetName | (string & {});
  /** The draft the composer opens with. */
  campaign?: Campaign;
  /** Default timeout of requestPreview(), ms (15000). */
  timeout?: number;
  /** How long ready may take, ms (60000); then it rejects with code "timeout". */
  readyTimeout?: number;
  /** After the frame's load event, how long to wait for the module's first message, ms
   *  (5000); then ready rejects with "load_failed" (or "refused" after a CSP block). */
  handshakeTimeout?: number;
  /** "fill" (default): the frame is 100% × 100% of the element. "content": the frame's
   *  height follows reachlens.resize (at least MIN_HEIGHT, at most maxHeight). */
  sizing?: 'fill' | 'content';
  /** With sizing "content": the largest height, CSS px. */
  maxHeight?: number;
  /** false: do not set min-width/min-height (MIN_WIDTH × MIN_HEIGHT) on the frame. */
  minSize?: boolean;
  /** The frame's title attribute (accessibility), default "ReachLens". */
  title?: string;
  /** Called with every message posted to the module (logging). */
  onPost?: (message: HostMessage) => void;
}

export type Unsubscribe = () => void;

export interface ReachLensEmbed {
  readonly iframe: HTMLIFrameElement;
  /** The module's origin (from src). */
  readonly origin: string;
  /** Resolves with the module's reachlens.ready; rejects with a ReachLensError (ReadyErrorCode). */
  readonly ready: Promise<ReadyMessage>;
  readonly status: 'loading' | 'ready' | 'failed' | 'destroyed';
  isReady(): boolean;
  info(): ReadyMessage | null;
  /** The last reachlens.resize, or null. */
  size(): ResizeMessage | null;
  /** Merged into the config; re-sent after a module reload. */
  setConfig(config: Omit<ConfigMessage, 'type'>): void;
  setCampaign(campaign: Campaign): void;
  setDataset(dataset: Dataset | string | { url: string }): void;
  setRules(rules: Rules | PresetName | (string & {}) | { preset: string }): void;
  /** WeCom's answers after a send (reachlens.results/1), or where to fetch them. */
  setResults(results: Results | string | { url: string }): void;
  /** The current summary. Rejects with ReachLensError: timeout, destroyed, the ready
   *  failure's code, or the module's error code (e.g. no_preview). */
  requestPreview(timeoutMs?: number): Promise<Summary>;
  on<K extends EventType>(type: K, handler: (message: EventMap[K]) => void): Unsubscribe;
  once<K extends EventType>(type: K, handler: (message: EventMap[K]) => void): Unsubscribe;
  /** Removes one handler, or every handler of the type. */
  off<K extends EventType>(type: K, handler?: (message: EventMap[K]) => void): void;
  /** Removes the frame and listeners; ready (if pending) and every pending request reject
   *  with code "destroyed". */
  destroy(): void;
}

export declare function mount(element: Element | string, options?: MountOptions): ReachLensEmbed;
/** The SDK's version (package.json). */
export declare const version: string;
/** The protocol version this SDK speaks (reachlens.ready.protocol must equal it). */
export declare const protocol: 1;
/** Smallest frame width at which the dashboard lays out without overlap, CSS px. */
export declare const MIN_WIDTH: 800;
/** Smallest frame height, CSS px. */
export declare const MIN_HEIGHT: 600;

declare const ReachLens: {
  mount: typeof mount;
  ReachLensError: typeof ReachLensError;
  version: typeof version;
  protocol: typeof protocol;
  MIN_WIDTH: typeof MIN_WIDTH;
  MIN_HEIGHT: typeof MIN_HEIGHT;
};
export default ReachLens;
