// A small typed fetch client for Debrief's API. Paths, parameters, bodies and
// responses are checked against the types generated from api/openapi.yaml.
//
// - Cookie sessions: credentials are sent; state-changing requests carry the
//   session's CSRF token in X-CSRF-Token.
// - Errors: application/problem+json bodies become an ApiError with the
//   human `detail` and per-field `errors`, so forms can show each message
//   next to its input.
import type { components, paths } from './schema'

export type Schemas = components['schemas']
export type FieldError = Schemas['FieldError']

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>

/** The API paths that support a method. */
export type PathsFor<M extends Method> = {
  [P in keyof paths]: [Op<P, M>] extends [never] ? never : P
}[keyof paths]

type ParamsOf<O> = O extends { parameters: infer X } ? X : never
type PathParamsOf<O> = ParamsOf<O> extends { path: infer PP } ? PP : never
type QueryOf<O> = ParamsOf<O> extends { query?: infer Q } ? Exclude<Q, undefined> : never
type RequestBodyOf<O> = O extends { requestBody?: infer RB } ? NonNullable<RB> : never
type JsonBodyOf<O> = [RequestBodyOf<O>] extends [never]
  ? never
  : RequestBodyOf<O> extends { content: { 'application/json': infer B } }
    ? B
    : never
type ContentOf<R> = R extends { content: { 'application/json': infer C } } ? C : undefined
type SuccessOf<O> = O extends { responses: infer R }
  ? 200 extends keyof R
    ? ContentOf<R[200]>
    : 201 extends keyof R
      ? ContentOf<R[201]>
      : undefined
  : never

// `unknown` is the identity of `&`: an absent part adds nothing.
type Options<O> = { signal?: AbortSignal } & ([PathParamsOf<O>] extends [never] ? unknown : { path: PathParamsOf<O> }) &
  ([QueryOf<O>] extends [never] ? unknown : { query?: QueryOf<O> }) &
  ([JsonBodyOf<O>] extends [never] ? unknown : { body: JsonBodyOf<O> })

type Args<O> = [PathParamsOf<O>] extends [never]
  ? [JsonBodyOf<O>] extends [never]
    ? [options?: Options<O>]
    : [options: Options<O>]
  : [options: Options<O>]

/** The response type of a path and method. */
export type ResponseOf<P extends keyof paths, M extends Method> = SuccessOf<Op<P, M>>

/** An error from the API (or from reaching it), with what a form needs to show it. */
export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number
  /** The problem's stable code, e.g. "invalid", "conflict", "unauthenticated". */
  readonly code: string
  readonly title: string
  /** Human text to show. */
  readonly detail: string
  readonly fieldErrors: FieldError[]
  /** From Retry-After on 429 responses. */
  readonly retryAfterSeconds: number | null
  readonly requestId: string

  constructor(init: {
    status: number
    code: string
    title: string
    detail: string
    fieldErrors?: FieldError[]
    retryAfterSeconds?: number | null
    requestId?: string
  }) {
    super(init.detail || init.title)
    this.name = 'ApiError'
    this.status = init.status
    this.code = init.code
    this.title = init.title
    this.detail = init.detail || init.title
    this.fieldErrors = init.fieldErrors ?? []
    this.retryAfterSeconds = init.retryAfterSeconds ?? null
    this.requestId = init.requestId ?? ''
  }

  /** The message(s) for one field, or undefined. */
  field(name: string): string | undefined {
    const msgs = this.fieldErrors.filter((e) => e.field === name).map((e) => e.message)
    return msgs.length > 0 ? msgs.join('; ') : undefined
  }

  /** Field errors whose field is not in `shown`, for a summary above a form. */
  otherFieldErrors(shown: readonly string[]): FieldError[] {
    return this.fieldErrors.filter((e) => !shown.includes(e.field))
  }
}

/** Turns anything thrown into an ApiError (unknown errors keep their message). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err
  const message = err instanceof Error ? err.message : String(err)
  return new ApiError({ status: 0, code: 'client', title: 'Something went wrong', detail: message })
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError'
}

let csrfToken = ''

/** Stores the CSRF token from a Session (sign-in, setup, /auth/me). */
export function setCsrfToken(token: string): void {
  csrfToken = token
}

type Listener = () => void
const unauthenticatedListeners = new Set<Listener>()

/** Called when an API call answers 401: the session ended. Returns an unsubscribe function. */
export function onUnauthenticated(fn: Listener): () => void {
  unauthenticatedListeners.add(fn)
  return () => {
    unauthenticatedListeners.delete(fn)
  }
}

// These answer 401 as part of their normal job; that does not mean "session ended".
const quiet401 = new Set(['/api/v1/auth/me', '/api/v1/auth/sign-in', '/api/v1/setup'])

type QueryValue = string | number | boolean | null | undefined | readonly string[]

function buildUrl(template: string, path?: Record<string, string>, query?: Record<string, QueryValue>): string {
  let url = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = path?.[name]
    if (v === undefined) throw new Error(`missing path parameter ${name} for ${template}`)
    return encodeURIComponent(v)
  })
  if (query) {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue
      if (Array.isArray(v)) {
        for (const item of v as readonly string[]) qs.append(k, item)
      } else {
        qs.set(k, String(v))
      }
    }
    const s = qs.toString()
    if (s) url += `?${s}`
  }
  return url
}

async function problemFrom(res: Response): Promise<ApiError> {
  const retryHeader = res.headers.get('Retry-After')
  let retryAfterSeconds: number | null = null
  if (retryHeader) {
    const n = Number(retryHeader)
    if (Number.isFinite(n)) retryAfterSeconds = n
    else {
      const at = Date.parse(retryHeader)
      if (!Number.isNaN(at)) retryAfterSeconds = Math.max(0, Math.round((at - Date.now()) / 1000))
    }
  }
  let body: Partial<Schemas['Problem']> = {}
  const type = res.headers.get('Content-Type') ?? ''
  if (type.includes('json')) {
    try {
      body = (await res.json()) as Partial<Schemas['Problem']>
    } catch {
      body = {}
    }
  }
  const code = body.type ? body.type.replace(/^.*\//, '') : String(res.status)
  return new ApiError({
    status: res.status,
    code,
    title: body.title ?? res.statusText,
    detail: body.detail ?? defaultDetail(res.status),
    fieldErrors: Array.isArray(body.errors) ? body.errors : [],
    retryAfterSeconds,
    requestId: body.request_id ?? res.headers.get('X-Request-Id') ?? '',
  })
}

function defaultDetail(status: number): string {
  if (status === 401) return 'Please sign in again.'
  if (status === 403) return 'You do not have access to this.'
  if (status === 404) return 'This could not be found. It may have been removed, or you may not have access.'
  if (status === 413) return 'That is too large to send.'
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.'
  if (status >= 500) return 'Debrief had a problem handling this. Please try again in a moment.'
  return `The request failed (HTTP ${String(status)}).`
}

export interface RawRequest {
  method: Uppercase<Method>
  path: string
  pathParams?: Record<string, string>
  query?: Record<string, QueryValue>
  json?: unknown
  text?: string
  contentType?: string
  signal?: AbortSignal
}

/** Sends a request and decodes the JSON answer (undefined for 204). */
export async function rawRequest<T>(req: RawRequest): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  let body: string | undefined
  if (req.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(req.json)
  } else if (req.text !== undefined) {
    headers['Content-Type'] = req.contentType ?? 'text/plain'
    body = req.text
  }
  if (req.method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let res: Response
  try {
    res = await fetch(buildUrl(req.path, req.pathParams, req.query), {
      method: req.method,
      headers,
      body,
      credentials: 'same-origin',
      signal: req.signal,
    })
  } catch (err) {
    if (isAbort(err)) throw err
    throw new ApiError({
      status: 0,
      code: 'network',
      title: 'Cannot reach Debrief',
      detail: 'Debrief could not be reached. Check your connection and try again.',
    })
  }
  if (!res.ok) {
    const err = await problemFrom(res)
    if (res.status === 401 && !quiet401.has(req.path)) {
      for (const fn of unauthenticatedListeners) fn()
    }
    throw err
  }
  if (res.status === 204) return undefined as T
  const text = await res.text()
  return (text ? JSON.parse(text) : undefined) as T
}

function call<M extends Method>(method: M) {
  return <P extends PathsFor<M>>(path: P, ...args: Args<Op<P, M>>): Promise<SuccessOf<Op<P, M>>> => {
    const opts = (args[0] ?? {}) as {
      path?: Record<string, string>
      query?: Record<string, QueryValue>
      body?: unknown
      signal?: AbortSignal
    }
    return rawRequest<SuccessOf<Op<P, M>>>({
      method: method.toUpperCase() as Uppercase<M>,
      path,
      pathParams: opts.path,
      query: opts.query,
      json: opts.body,
      signal: opts.signal,
    })
  }
}

/** Typed API calls: `api.get('/api/v1/people/{id}', { path: { id } })`. */
export const api = {
  get: call('get'),
  post: call('post'),
  put: call('put'),
  patch: call('patch'),
  delete: call('delete'),
}
