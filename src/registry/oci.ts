import { type Digest, isDigest, sha256Digest } from './digest.js';
import { RegistryError } from './errors.js';
import { type BoundedResponse, boundedFetch, DEFAULT_MAX_BYTES, type FetchLimits } from './fetch.js';

/**
 * OPA bundles in OCI registries, over the OCI distribution API with plain fetch.
 *
 * The layout is the one OPA's `type: oci` service reads (v1/download/oci_download.go): an image manifest whose config
 * is `{}` with media type application/vnd.oci.image.config.v1+json (OPA never reads the config) and exactly one layer,
 * application/vnd.oci.image.layer.v1.tar+gzip, which is the bundle tarball byte for byte. A plain manifest, never an
 * index (OPA before 1.x's index support reads only plain manifests). The manifest carries no timestamps, so the same
 * bundle always yields the same manifest digest.
 */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;
const MAX_INDEX_ENTRIES = 32;

export interface OciRef {
  /** host[:port] */
  registry: string;
  repository: string;
  tag?: string;
  digest?: Digest;
}

export interface OciOptions extends FetchLimits {
  /** Use http:// instead of https://. Default: only for loopback registries (localhost, 127.0.0.0/8, [::1]). */
  plainHttp?: boolean;
  /** Basic credentials, also used to obtain bearer tokens; or a ready bearer token. */
  username?: string;
  password?: string;
  token?: string;
}

export interface PushOptions extends OciOptions {
  /** Replace a tag that holds a different bundle. Off by default: a version tag is immutable. */
  force?: boolean;
}

export interface PushResult {
  /** The pushed reference, pinned: oci://host/repo@sha256:… */
  ref: string;
  manifestDigest: Digest;
  /** The bundle's own digest (= the layer's). */
  digest: Digest;
  /** The tag already held exactly this bundle; nothing was uploaded. */
  unchanged: boolean;
}

export interface PullResult {
  bytes: Uint8Array;
  /** The bundle's digest, verified (= the layer's, = what OPA uses as the etag). */
  digest: Digest;
  manifestDigest: Digest;
  /** oci://host/repo@<manifest digest> */
  source: string;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

interface Manifest {
  schemaVersion: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::[0-9]{1,5})?$/;

/** Credentials from CIPA_OCI_USERNAME / CIPA_OCI_PASSWORD, or a bearer token from CIPA_OCI_TOKEN. */
export function ociOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OciOptions {
  const options: OciOptions = {};
  if (env.CIPA_OCI_USERNAME) options.username = env.CIPA_OCI_USERNAME;
  if (env.CIPA_OCI_PASSWORD) options.password = env.CIPA_OCI_PASSWORD;
  if (env.CIPA_OCI_TOKEN) options.token = env.CIPA_OCI_TOKEN;
  return options;
}

/** `oci://host[:port]/repo[/more][:tag][@sha256:…]`; the `oci://` prefix is required. */
export function parseOciRef(text: string): OciRef {
  if (!text.startsWith('oci://')) throw new RegistryError(`${text}: not an oci:// reference`);
  const rest = text.slice('oci://'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) throw new RegistryError(`${text}: expected oci://host[:port]/repository[:tag][@digest]`);
  const registry = rest.slice(0, slash);
  let path = rest.slice(slash + 1);
  let digest: Digest | undefined;
  const at = path.indexOf('@');
  if (at >= 0) {
    const d = path.slice(at + 1);
    if (!isDigest(d)) throw new RegistryError(`${text}: ${JSON.stringify(d)} is not a sha256 digest`);
    digest = d;
    path = path.slice(0, at);
  }
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) throw new RegistryError(`${text}: ${JSON.stringify(tag)} is not a valid tag`);
  }
  if (!HOST.test(registry)) throw new RegistryError(`${text}: ${JSON.stringify(registry)} is not a registry host`);
  if (!REPOSITORY.test(path)) throw new RegistryError(`${text}: ${JSON.stringify(path)} is not a valid repository name (lowercase, / separated)`);
  if (tag === undefined && digest === undefined) throw new RegistryError(`${text}: name a tag (:1.4.2) or a digest (@sha256:…)`);
  return { registry, repository: path, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

export function formatOciRef(ref: OciRef): string {
  return `oci://${ref.registry}/${ref.repository}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}

function isLoopback(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(1, registry.indexOf(']')) : registry.split(':')[0]!;
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A minimal distribution-API client for one repository: bearer-token and basic auth on 401, one retry. */
class RepositoryClient {
  private readonly base: string;
  private authorization: string | undefined;

  constructor(private readonly ref: OciRef, private readonly options: OciOptions) {
    const scheme = (options.plainHttp ?? isLoopback(ref.registry)) ? 'http' : 'https';
    this.base = `${scheme}://${ref.registry}/v2/${ref.repository}`;
    if (options.token !== undefined) this.authorization = `Bearer ${options.token}`;
  }

  get what(): string {
    return formatOciRef(this.ref);
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  async request(method: string, url: string, init: { headers?: Record<string, string>; body?: Uint8Array | string; maxBytes?: number; scope: 'pull' | 'push,pull' }): Promise<BoundedResponse> {
    const send = () => {
      const headers = { ...(init.headers ?? {}), ...(this.authorization ? { Authorization: this.authorization } : {}) };
      return boundedFetch(url, this.what, {
        method,
        headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
        maxBytes: init.maxBytes ?? MANIFEST_MAX_BYTES,
      });
    };
    let response = await send();
    if (response.status === 401) {
      await this.authenticate(response.headers.get('www-authenticate') ?? '', init.scope);
      response = await send();
    }
    return response;
  }

  private async authenticate(challenge: string, scope: string): Promise<void> {
    const basic = this.options.username !== undefined
      ? `Basic ${Buffer.from(`${this.options.username}:${this.options.password ?? ''}`).toString('base64')}`
      : undefined;
    if (/^basic\b/i.test(challenge)) {
      if (basic === undefined) throw new RegistryError(`${this.what}: the registry requires credentials`, 'set CIPA_OCI_USERNAME and CIPA_OCI_PASSWORD');
      this.authorization = basic;
      return;
    }
    if (!/^bearer\b/i.test(challenge)) throw new RegistryError(`${this.what}: unauthorized, and the registry offers no usable authentication`);
    const params: Record<string, string> = {};
    for (const m of challenge.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
    if (params.realm === undefined) throw new RegistryError(`${this.what}: bearer challenge without a realm`);
    let tokenUrl: URL;
    try {
      tokenUrl = new URL(params.realm);
    } catch {
      throw new RegistryError(`${this.what}: bearer challenge realm ${JSON.stringify(params.realm)} is not a URL`);
    }
    if (basic !== undefined && tokenUrl.protocol !== 'https:' && !(this.options.plainHttp ?? false) && !isLoopback(tokenUrl.host)) {
      throw new RegistryError(`${this.what}: refusing to send credentials to the plain-http token service ${tokenUrl.origin}`,
        'the registry should use https for its token realm');
    }
    if (params.service !== undefined) tokenUrl.searchParams.set('service', params.service);
    tokenUrl.searchParams.set('scope', params.scope ?? `repository:${this.ref.repository}:${scope}`);
    const response = await boundedFetch(tokenUrl.toString(), this.what, {
      headers: basic === undefined ? {} : { Authorization: basic },
      maxBytes: 1024 * 1024,
      ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
    });
    if (response.status !== 200) throw new RegistryError(`${this.what}: token request to ${tokenUrl.origin} answered ${response.status}`);
    let body: { token?: unknown; access_token?: unknown };
    try {
      body = JSON.parse(new TextDecoder().decode(response.body)) as typeof body;
    } catch {
      throw new RegistryError(`${this.what}: token service ${tokenUrl.origin} answered something other than JSON`);
    }
    const token = body?.token ?? body?.access_token;
    if (typeof token !== 'string' || token === '') throw new RegistryError(`${this.what}: token response without a token`);
    this.authorization = `Bearer ${token}`;
  }
}

function bundleManifest(bytes: Uint8Array, config: Uint8Array): { manifest: Uint8Array; layer: Descriptor } {
  const layer: Descriptor = {
    mediaType: OCI_LAYER,
    digest: sha256Digest(bytes),
    size: bytes.byteLength,
    annotations: { 'org.opencontainers.image.title': 'bundle.tar.gz' },
  };
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: sha256Digest(config), size: config.byteLength },
    layers: [layer],
  };
  return { manifest: new TextEncoder().encode(JSON.stringify(manifest)), layer };
}

function statusError(what: string, action: string, response: BoundedResponse): RegistryError {
  let detail = '';
  try {
    const body = JSON.parse(new TextDecoder().decode(response.body)) as { errors?: Array<{ code?: string; message?: string }> };
    const first = body.errors?.[0];
    if (first) detail = `: ${first.code ?? ''} ${first.message ?? ''}`.trimEnd();
  } catch {
    // not a distribution error body
  }
  return new RegistryError(`${what}: ${action} answered HTTP ${response.status}${detail}`);
}

function tarLayer(manifest: Manifest): Descriptor | undefined {
  return manifest.layers?.find((l) => l.mediaType === OCI_LAYER);
}

/** Pushes a bundle as a single-layer OCI artifact. Refuses to move a tag that holds a different bundle unless forced. */
export async function pushOciBundle(reference: string, bytes: Uint8Array, options: PushOptions = {}): Promise<PushResult> {
  const ref = parseOciRef(reference);
  if (ref.tag === undefined) throw new RegistryError(`${reference}: pushing needs a tag (oci://host/repo:1.4.2)`);
  const client = new RepositoryClient(ref, options);
  const config = new TextEncoder().encode('{}');
  const { manifest, layer } = bundleManifest(bytes, config);
  const manifestDigest = sha256Digest(manifest);
  const pinned = formatOciRef({ registry: ref.registry, repository: ref.repository, digest: manifestDigest });
  if (ref.digest !== undefined && ref.digest !== manifestDigest) {
    throw new RegistryError(`${reference}: the pushed manifest would be ${manifestDigest}, not ${ref.digest}`);
  }

  const existing = await fetchManifest(client, ref.tag, 'push,pull', true);
  if (existing !== undefined) {
    const held = tarLayer(existing.manifest);
    if (held?.digest === layer.digest) {
      // The tag already serves this very bundle (perhaps under another manifest, e.g. pushed by oras): keep it.
      const existingRef = formatOciRef({ registry: ref.registry, repository: ref.repository, digest: existing.digest });
      return { ref: existingRef, manifestDigest: existing.digest, digest: layer.digest as Digest, unchanged: true };
    }
    if (!options.force) {
      throw new RegistryError(
        `${reference}: tag ${ref.tag} already holds a different artifact (manifest ${existing.digest}, bundle ${held?.digest ?? 'none'}); refusing to replace it with bundle ${layer.digest}`,
        'push under a new tag, or force it if the tag is meant to move',
      );
    }
  }

  await uploadBlob(client, config, sha256Digest(config));
  await uploadBlob(client, bytes, layer.digest as Digest);
  const put = await client.request('PUT', client.url(`/manifests/${ref.tag}`), {
    headers: { 'Content-Type': OCI_MANIFEST },
    body: manifest,
    scope: 'push,pull',
  });
  if (put.status !== 201 && put.status !== 200) throw statusError(reference, 'manifest upload', put);
  const echoed = put.headers.get('docker-content-digest');
  if (echoed !== null && echoed !== manifestDigest) {
    throw new RegistryError(`${reference}: registry stored the manifest as ${echoed}, expected ${manifestDigest}`);
  }
  return { ref: pinned, manifestDigest, digest: layer.digest as Digest, unchanged: false };
}

async function uploadBlob(client: RepositoryClient, bytes: Uint8Array, digest: Digest): Promise<void> {
  const head = await client.request('HEAD', client.url(`/blobs/${digest}`), { scope: 'push,pull' });
  if (head.status === 200) return;
  const start = await client.request('POST', client.url('/blobs/uploads/'), { scope: 'push,pull' });
  if (start.status !== 202) throw statusError(client.what, `blob upload start for ${digest}`, start);
  const location = start.headers.get('location');
  if (location === null) throw new RegistryError(`${client.what}: blob upload start gave no Location`);
  const target = new URL(location, client.url('/'));
  target.searchParams.set('digest', digest);
  const put = await client.request('PUT', target.toString(), {
    headers: { 'Content-Type': 'application/octet-stream' },
    body: bytes,
    scope: 'push,pull',
  });
  if (put.status !== 201) throw statusError(client.what, `blob upload of ${digest}`, put);
}

async function fetchManifest(client: RepositoryClient, reference: string, scope: 'pull' | 'push,pull', allowMissing: boolean): Promise<{ manifest: Manifest; digest: Digest; mediaType: string } | undefined> {
  const response = await client.request('GET', client.url(`/manifests/${reference}`), {
    headers: { Accept: [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST].join(', ') },
    scope,
    maxBytes: MANIFEST_MAX_BYTES,
  });
  if (response.status === 404 && allowMissing) return undefined;
  if (response.status !== 200) throw statusError(client.what, `manifest ${reference}`, response);
  const digest = sha256Digest(response.body);
  if (isDigest(reference) && digest !== reference) {
    throw new RegistryError(`${client.what}: manifest content digest ${digest} does not match the requested ${reference}`);
  }
  const echoed = response.headers.get('docker-content-digest');
  if (echoed !== null && echoed.startsWith('sha256:') && echoed !== digest) {
    throw new RegistryError(`${client.what}: manifest content digest ${digest} does not match the registry's ${echoed}`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(response.body)) as Manifest;
  } catch {
    throw new RegistryError(`${client.what}: manifest ${reference} is not JSON`);
  }
  const mediaType = manifest.mediaType ?? response.headers.get('content-type') ?? '';
  return { manifest, digest, mediaType };
}

/**
 * The tags of the reference's repository (GET /v2/<repo>/tags/list, following Link pagination up to 100 pages);
 * [] when the repository does not exist yet. The reference's own tag or digest is ignored.
 */
export async function listOciTags(reference: string, options: OciOptions = {}): Promise<string[]> {
  const client = new RepositoryClient(parseOciRef(reference), options);
  const tags: string[] = [];
  let url: string | undefined = client.url('/tags/list?n=1000');
  for (let page = 0; url !== undefined && page < 100; page++) {
    const response = await client.request('GET', url, { scope: 'pull', maxBytes: MANIFEST_MAX_BYTES });
    if (response.status === 404) return tags;
    if (response.status !== 200) throw statusError(client.what, 'tag list', response);
    let body: { tags?: unknown } | null;
    try {
      body = JSON.parse(new TextDecoder().decode(response.body)) as { tags?: unknown } | null;
    } catch {
      throw new RegistryError(`${client.what}: the tag list is not JSON`);
    }
    if (Array.isArray(body?.tags)) for (const tag of body.tags) if (typeof tag === 'string') tags.push(tag);
    const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(response.headers.get('link') ?? '')?.[1];
    url = next === undefined ? undefined : new URL(next, client.url('/')).toString();
  }
  return tags;
}

/** Pulls a bundle by tag or digest; every byte is checked against the digest that names it. */
export async function pullOciBundle(reference: string, options: OciOptions = {}): Promise<PullResult> {
  const ref = parseOciRef(reference);
  const client = new RepositoryClient(ref, options);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let found = (await fetchManifest(client, ref.digest ?? ref.tag!, 'pull', false))!;
  if (found.manifest.manifests !== undefined) {
    // An index: take the first listed manifest that carries a bundle layer, as OPA does.
    let chosen: typeof found | undefined;
    for (const entry of found.manifest.manifests.slice(0, MAX_INDEX_ENTRIES)) {
      if (!isDigest(entry.digest)) continue;
      const candidate = (await fetchManifest(client, entry.digest, 'pull', false))!;
      if (tarLayer(candidate.manifest) !== undefined) {
        chosen = candidate;
        break;
      }
    }
    if (chosen === undefined) throw new RegistryError(`${reference}: no manifest in the index has a ${OCI_LAYER} layer`);
    found = chosen;
  }
  const layer = tarLayer(found.manifest);
  if (layer === undefined) throw new RegistryError(`${reference}: manifest ${found.digest} has no ${OCI_LAYER} layer (not an OPA bundle)`);
  if (!isDigest(layer.digest)) throw new RegistryError(`${reference}: layer digest ${JSON.stringify(layer.digest)} is not sha256`);
  if (typeof layer.size !== 'number' || layer.size > maxBytes) {
    throw new RegistryError(`${reference}: bundle layer of ${layer.size} bytes exceeds the ${maxBytes}-byte limit`);
  }
  const blob = await client.request('GET', client.url(`/blobs/${layer.digest}`), { scope: 'pull', maxBytes });
  if (blob.status !== 200) throw statusError(reference, `blob ${layer.digest}`, blob);
  const digest = sha256Digest(blob.body);
  if (digest !== layer.digest || blob.body.byteLength !== layer.size) {
    throw new RegistryError(`${reference}: downloaded layer has digest ${digest} (${blob.body.byteLength} bytes), manifest says ${layer.digest} (${layer.size} bytes)`);
  }
  return {
    bytes: blob.body,
    digest,
    manifestDigest: found.digest,
    source: formatOciRef({ registry: ref.registry, repository: ref.repository, digest: found.digest }),
  };
}
