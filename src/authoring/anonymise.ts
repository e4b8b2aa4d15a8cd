import { createHash } from 'node:crypto';

/**
 * Stable placeholders for identifying values. The same original always maps to the same placeholder within one
 * fixture, so joins the policy makes by value (a bucket's name in another resource's `bucket`, an id in a
 * reference attribute, an ARN in a policy) still join.
 *
 * What is identifying (replaced):
 * - every value marked sensitive (after_sensitive / before_sensitive), whatever its key or shape;
 * - ARNs, rebuilt as arn:<partition>:<service>:<region>:<placeholder account>:<resource type>/<placeholder>
 *   (AWS-managed ARNs with account `aws`, like arn:aws:iam::aws:policy/AdministratorAccess, are public and kept);
 * - 12-digit AWS account ids, AWS access key ids, organisation ids (o-…), cloud resource ids (vpc-…, sg-…, i-…);
 * - IPv4/IPv6 addresses and CIDRs except 0.0.0.0/0 and ::/0 (private ranges stay private: 10.213.x.y; public
 *   ones stay public: 203.0.113.x; the prefix length is kept), e-mail addresses, host names under a domain;
 * - values of identifying attributes at any depth: name, bucket, id, arn, description, tag and label values (tag
 *   keys are kept: policies require them), *_name, *_id, *_arn, *_prefix, *_url, user_data, … (IDENTIFYING_KEYS);
 * - free text (anything with spaces or beyond a short token) and random-looking tokens (keys, tokens, hashes);
 * - resource names, module names and for_each keys in addresses and references; module sources' organisation,
 *   repository and path parts.
 * What is semantic (kept): booleans, numbers (ports, retention days, sizes), null, short enum-like tokens such as
 * aws:kms, AES256, TLSv1.2_2021, https-only, tcp, s3:GetObject, us-east-1, the open CIDRs, the keys of every
 * object, the structure (lists, nesting, unknown and sensitive markers), variable and output names, JSON policy
 * documents (parsed and rebuilt: Effect, Action, Condition operators and keys kept, principals and resources
 * anonymised), module versions and ?ref= version pins.
 */
export class Anonymiser {
  private readonly map = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  /** Every original string that was replaced (for the caller's own checks). */
  readonly replaced = new Set<string>();

  private next(kind: string): number {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return n;
  }

  /** The placeholder for an original string, made once by `make` (given a fresh sequence number). */
  private memo(original: string, kind: string, make: (n: number) => string): string {
    const key = `${kind === 'sensitive' ? 'sensitive' : 'v'}\u0000${original}`;
    const found = this.map.get(key) ?? (kind === 'sensitive' ? undefined : this.map.get(`sensitive\u0000${original}`));
    if (found !== undefined) return found;
    const value = make(this.next(kind));
    this.map.set(key, value);
    if (value !== original) this.replaced.add(original);
    return value;
  }

  sensitive(value: unknown): unknown {
    if (value === null || typeof value === 'boolean') return value;
    if (Array.isArray(value)) return value.map((v) => this.sensitive(v));
    if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, this.sensitive(v)]));
    const original = String(value);
    return this.memo(original, 'sensitive', (n) => `sensitive-${pad(n, 4)}`);
  }

  accountId(id: string): string {
    return this.memo(id, 'account', (n) => pad(n, 12));
  }

  name(original: string): string {
    if (original === '' || original === '*') return original;
    return this.memo(original, 'name', (n) => `name-${pad(n, 4)}`);
  }

  text(original: string): string {
    if (original === '') return original;
    return this.memo(original, 'text', (n) => `text-${pad(n, 4)}`);
  }

  resourceName(original: string): string {
    return this.memo(`resource\u0000${original}`, 'resource', (n) => `r${n}`);
  }

  moduleName(original: string): string {
    return this.memo(`module\u0000${original}`, 'module', (n) => `m${n}`);
  }

  key(original: string): string {
    return this.memo(`key\u0000${original}`, 'key', (n) => `k${n}`);
  }

  cloudId(original: string, prefix: string): string {
    return this.memo(original, `id-${prefix}`, (n) => `${prefix}-${pad(n, 8)}`);
  }

  ip(original: string): string {
    const [addr, prefix] = original.split('/');
    if (original === '0.0.0.0/0' || original === '::/0') return original;
    const tail = prefix === undefined ? '' : `/${prefix}`;
    if (addr!.includes(':')) return this.memo(original, 'ip6', (n) => `2001:db8::${n.toString(16)}${tail}`);
    const kind = isPrivateV4(addr!) ? 'ip-private' : 'ip-public';
    return this.memo(original, kind, (n) => (kind === 'ip-private' ? `10.213.${Math.floor(n / 250)}.${(n % 250) + 1}` : `203.0.113.${(n % 250) + 1}`) + tail);
  }

  email(original: string): string {
    return this.memo(original, 'email', (n) => `user-${pad(n, 4)}@example.com`);
  }

  host(original: string): string {
    return this.memo(original, 'host', (n) => `host-${pad(n, 4)}.example.com`);
  }

  arn(original: string): string {
    const parts = original.split(':');
    if (parts.length < 6) return this.name(original);
    const [, partition, service, region, account] = parts;
    if (account === 'aws') return original; // AWS-managed, public (e.g. arn:aws:iam::aws:policy/ReadOnlyAccess)
    const resource = parts.slice(5).join(':');
    return this.memo(original, 'arn', () => {
      const acct = account && /^\d{12}$/.test(account) ? this.accountId(account) : account ? this.name(account) : '';
      return `arn:${partition}:${service}:${region}:${acct}:${this.arnResource(resource)}`;
    });
  }

  /** The resource part of an ARN: type prefixes (role/, bucket names' /* wildcards, log-group:) stay. */
  private arnResource(resource: string): string {
    if (resource === '*' || resource === '') return resource;
    const m = /^([a-z][a-z0-9-]*)([/:])(.*)$/.exec(resource);
    const segments = (text: string) =>
      text
        .split('/')
        .map((s) => (s === '*' || s === '' || /^[*?]+$/.test(s) ? s : s.endsWith('*') ? `${this.name(s.slice(0, -1))}*` : this.name(s)))
        .join('/');
    if (m && KNOWN_ARN_TYPES.has(m[1]!)) return `${m[1]}${m[2]}${segments(m[3]!)}`;
    return segments(resource);
  }

  /** Rewrites identifying patterns inside a longer string (IPs, ARNs, account ids, e-mails, cloud ids). */
  scrubInside(text: string): string {
    return text
      .replace(/arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:[0-9a-z-]*:[^\s"',;)}\]]+/g, (m) => this.arn(m))
      .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, (m) => this.email(m))
      .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?\b/g, (m) => (m === '0.0.0.0/0' ? m : this.ip(m)))
      .replace(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, (m) => this.memo(m, 'akid', (n) => `AKIA${pad(n, 16)}`))
      .replace(/\b\d{12}\b/g, (m) => this.accountId(m))
      .replace(CLOUD_ID, (m, prefix: string) => this.cloudId(m, prefix));
  }

  /** A plain string value under attribute `key`. */
  string(value: string, key: string | undefined): string {
    // A string already replaced somewhere (a name, a sensitive value) is replaced everywhere.
    const known = this.map.get(`v\u0000${value}`) ?? this.map.get(`sensitive\u0000${value}`);
    if (known !== undefined) return known;
    if (value === '' || value === '*' || value === '0.0.0.0/0' || value === '::/0') return value;
    const json = tryJsonDocument(value);
    if (json !== undefined) return JSON.stringify(this.jsonDocument(json, key));
    if (/^arn:/.test(value)) return this.arn(value);
    if (/^\d{12}$/.test(value)) return this.accountId(value);
    if (IP_OR_CIDR.test(value)) return this.ip(value);
    if (/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(value)) return this.email(value);
    const id = /^([a-z]{1,8})-[0-9a-f]{8,17}$/.exec(value);
    if (id) return this.cloudId(value, id[1]!);
    if (/^o-[a-z0-9]{10,32}$/.test(value)) return this.memo(value, 'org', (n) => `o-${pad(n, 10)}`);
    if (key !== undefined && isIdentifyingKey(key)) return this.name(value);
    if (isSemanticToken(value)) return value;
    if (/^[a-z0-9-]+(\.[a-z0-9-]+)+\.[a-z]{2,}$/i.test(value) && !/amazonaws\.com$|googleapis\.com$|azure\.com$/.test(value)) return this.host(value);
    return this.text(value);
  }

  /** A value under attribute `key` (recursing into objects: keys kept; lists: elements under the same key). */
  value(value: unknown, key: string | undefined, sensitive: unknown = false): unknown {
    if (sensitive === true) return this.sensitive(value);
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') return /^\d{12}$/.test(String(value)) ? Number(this.accountId(String(value))) : value;
    if (typeof value === 'string') return this.string(value, key);
    if (Array.isArray(value)) return value.map((v, i) => this.value(v, key, Array.isArray(sensitive) ? sensitive[i] : false));
    if (typeof value === 'object') {
      const tagLike = key !== undefined && TAG_KEYS.has(key);
      const s = isObject(sensitive) ? sensitive : {};
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, tagLike && typeof v === 'string' ? (v === '' ? v : this.name(v)) : this.value(v, tagLike ? 'tag' : k, s[k])]),
      );
    }
    return value;
  }

  /** JSON documents inside strings (IAM and bucket policies): structure kept, statements anonymised. */
  jsonDocument(doc: unknown, key: string | undefined): unknown {
    if (Array.isArray(doc)) return doc.map((d) => this.jsonDocument(d, key));
    if (isObject(doc)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(doc)) {
        if (k === 'Sid' || k === 'Id') out[k] = typeof v === 'string' ? this.name(v) : v;
        else if (k === 'Condition' && isObject(v)) {
          // operators and condition keys are semantic; the values are anonymised as values
          out[k] = Object.fromEntries(Object.entries(v).map(([op, body]) => [op, isObject(body) ? Object.fromEntries(Object.entries(body).map(([ck, cv]) => [ck, this.jsonDocument(cv, ck)])) : this.jsonDocument(body, op)]));
        } else out[k] = this.jsonDocument(v, k);
      }
      return out;
    }
    if (typeof doc === 'string') {
      if (key === 'AWS' || key === 'Federated' || key === 'CanonicalUser') return /^\d{12}$/.test(doc) ? this.accountId(doc) : doc === '*' ? doc : this.string(doc, 'principal');
      return this.string(doc, key === 'Resource' || key === 'NotResource' ? 'resource' : key);
    }
    return doc;
  }

  /** Local names in an address or reference: resource names, module names and string keys. */
  address(address: string): string {
    return renameAddress(address, this);
  }

  moduleSource(source: string): string {
    if (source === '') return source;
    if (/^\.\.?\//.test(source)) {
      const lead = /^((?:\.\.?\/)+)/.exec(source)![1]!;
      const rest = source.slice(lead.length);
      return lead + rest.split('/').map((s) => (s === '' || s === 'modules' ? s : this.name(s))).join('/');
    }
    const [base, query] = source.split('?', 2) as [string, string | undefined];
    const m = /^((?:[a-z0-9]+::)?(?:[a-z]+:\/\/)?)(.*)$/i.exec(base)!;
    const prefix = m[1]!;
    const path = m[2]!;
    const hostMatch = /^([a-z0-9.-]+\.[a-z]{2,}(?::\d+)?)([/:])(.*)$/i.exec(path);
    const rest = hostMatch ? hostMatch[3]! : path;
    const host = hostMatch ? `${PUBLIC_HOSTS.has(hostMatch[1]!.toLowerCase()) ? hostMatch[1] : this.host(hostMatch[1]!)}${hostMatch[2]}` : '';
    const parts = rest.split('/').map((s, i, all) => {
      if (s === '') return s;
      // the provider part of a registry address (namespace/name/provider) is semantic
      if (!hostMatch && all.length === 3 && i === 2 && /^(aws|azurerm|google|kubernetes|helm)$/.test(s)) return s;
      if (hostMatch && PUBLIC_HOSTS.has(hostMatch[1]!.toLowerCase()) && all.length >= 3 && i === 2 && /^(aws|azurerm|google)$/.test(s)) return s;
      return s.endsWith('.git') ? `${this.name(s.slice(0, -4))}.git` : s.startsWith('/') ? s : this.name(s);
    });
    let out = prefix + host + parts.join('/');
    if (query !== undefined) {
      out += `?${query
        .split('&')
        .map((pair) => {
          const [k, v = ''] = pair.split('=', 2) as [string, string | undefined];
          return k === 'ref' && /^(v?\d+(\.\d+){0,3}([-+][0-9A-Za-z.-]+)?|[0-9a-f]{7,40})$/.test(v) ? pair : `${k}=${this.name(v)}`;
        })
        .join('&')}`;
    }
    return out;
  }
}

const KNOWN_ARN_TYPES = new Set(['role', 'user', 'group', 'policy', 'instance-profile', 'key', 'alias', 'log-group', 'function', 'table', 'stream', 'topic', 'secret', 'parameter', 'instance', 'volume', 'vpc', 'subnet', 'security-group', 'loadbalancer', 'targetgroup', 'listener', 'certificate', 'db', 'cluster', 'trail', 'repository', 'distribution', 'hostedzone', 'assumed-role', 'oidc-provider', 'saml-provider', 'server-certificate', 'mfa', 'task', 'task-definition', 'service', 'stateMachine', 'rule', 'event-bus', 'natgateway', 'internet-gateway', 'network-interface', 'image', 'snapshot', 'flow-log', 'restapis', 'userpool', 'config-rule', 'detector', 'file-system', 'access-point', 'domain', 'workgroup', 'job', 'pipeline', 'project', 'build', 'bucket', 'storage-lens', 'accesspoint', 'app', 'capacity-provider', 'container-instance']);

const PUBLIC_HOSTS = new Set(['registry.terraform.io', 'github.com', 'gitlab.com', 'bitbucket.org', 'app.terraform.io', 's3.amazonaws.com']);

const CLOUD_ID = /\b(vpc|subnet|sg|igw|nat|rtb|acl|eni|i|ami|vol|snap|eipalloc|pcx|tgw|vpce|fs|lt|cvpn|dopt|eigw|sgr|key)-[0-9a-f]{8,17}\b/g;

const IP_OR_CIDR = /^((\d{1,3}\.){3}\d{1,3}|[0-9a-f]*:[0-9a-f:]*:[0-9a-f:.]*)(\/\d{1,3})?$/i;

/** Attribute names whose values name or identify something (any provider), compared lower-case. */
const IDENTIFYING_KEYS = new Set([
  'name', 'names', 'bucket', 'id', 'ids', 'arn', 'description', 'display_name', 'domain', 'domain_name', 'hostname', 'host', 'fqdn',
  'email', 'owner', 'owner_id', 'account', 'account_id', 'user', 'username', 'user_name', 'role', 'alias', 'aliases', 'repository',
  'user_data', 'user_data_base64', 'comment', 'title', 'identifier', 'subject', 'principal', 'principals', 'members', 'member',
  'project', 'folder', 'organization', 'org_id', 'tenant_id', 'subscription_id', 'object_id', 'client_id', 'resource_group_name',
  'location_name', 'url', 'uri', 'endpoint', 'address', 'addresses', 'dns_name', 'zone_id', 'hosted_zone_id', 'records', 'policy_arn',
  'target', 'group', 'groups', 'users', 'roles', 'security_groups', 'source', 'destination', 'queue_url', 'resource',
  'prefix', 'path', 'secret', 'password', 'token', 'private_key', 'public_key', 'certificate', 'certificate_body', 'etag', 'version_id', 'fingerprint', 'sid', 'kms_key_id', 'kms_master_key_id', 'target_bucket', 'target_prefix',
]);

/** Keys whose object values are tag/label maps: the keys are semantic (required tags), the values identifying. */
const TAG_KEYS = new Set(['tags', 'tags_all', 'labels', 'default_tags', 'common_tags']);

function isIdentifyingKey(key: string): boolean {
  const k = key.toLowerCase();
  return IDENTIFYING_KEYS.has(k) || /(_name|_names|_id|_ids|_arn|_arns|_prefix|_url|_uri|_email|_emails|_key|_secret|_password|_token|_bucket|_account|_accounts|_domain|_host|_hostname|_dns)$/.test(k);
}

/**
 * Short enum-like tokens that carry meaning for a policy (aws:kms, AES256, TLSv1.2_2021, https-only, tcp,
 * s3:GetObject, us-east-1, GLACIER): no spaces, at most 40 characters, and not random-looking.
 */
function isSemanticToken(value: string): boolean {
  if (!/^[A-Za-z0-9._:*\/+-]{1,40}$/.test(value)) return false;
  if (/[A-Za-z0-9]{16,}/.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value)) return false;
  if (value.length >= 20 && /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value)) return false;
  if (/\/[^*]/.test(value) && !/^[a-z0-9]+:[A-Za-z0-9*]+$/.test(value) && !/^TLS/.test(value)) return false; // paths name things
  return true;
}

function isPrivateV4(addr: string): boolean {
  const [a, b] = addr.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || a === 127 || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

function tryJsonDocument(value: string): unknown {
  const t = value.trim();
  if (!(t.startsWith('{') && t.endsWith('}')) && !(t.startsWith('[') && t.endsWith(']'))) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

const PSEUDO = new Set(['var', 'local', 'each', 'count', 'path', 'terraform', 'self']);

/**
 * Renames the local names in an address or reference: module.<name>[key], <type>.<name>[key],
 * data.<type>.<name>[key]; var./local./each./count. references keep their names; string keys are renamed,
 * numeric indexes kept; anything after the name (attribute paths) kept.
 */
export function renameAddress(text: string, a: Anonymiser): string {
  const tokens = splitReference(text);
  const out: string[] = [];
  let i = 0;
  if (tokens[0] !== undefined && PSEUDO.has(tokens[0].name)) return text;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.name === 'module' && tokens[i + 1]) {
      const n = tokens[i + 1]!;
      out.push('module', a.moduleName(n.name) + renameIndex(n.index, a));
      i += 2;
    } else if (t.name === 'data' && tokens[i + 2]) {
      out.push('data', tokens[i + 1]!.name, a.resourceName(tokens[i + 2]!.name) + renameIndex(tokens[i + 2]!.index, a));
      out.push(...tokens.slice(i + 3).map((x) => x.name + x.index));
      break;
    } else if (tokens[i + 1]) {
      out.push(t.name + t.index, a.resourceName(tokens[i + 1]!.name) + renameIndex(tokens[i + 1]!.index, a));
      out.push(...tokens.slice(i + 2).map((x) => x.name + x.index));
      break;
    } else {
      // a bare module path ends here (module.a.module.b); a lone word is kept
      out.push(t.name + t.index);
      i += 1;
    }
  }
  return out.join('.');
}

function renameIndex(index: string, a: Anonymiser): string {
  const m = /^\["((?:[^"\\]|\\.)*)"\]$/.exec(index);
  if (!m) return index;
  return `["${a.key(JSON.parse(`"${m[1]}"`) as string)}"]`;
}

function splitReference(text: string): Array<{ name: string; index: string }> {
  const tokens: Array<{ name: string; index: string }> = [];
  const re = /([^.[\]]+)((?:\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])*)\.?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0] === '') break;
    tokens.push({ name: m[1]!, index: m[2] ?? '' });
  }
  return tokens;
}

/** A short stable digest for naming a fixture from its (already anonymised) content. */
export function contentName(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8);
}
