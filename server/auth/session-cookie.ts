import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AuthConfig } from '../config.js'
import { cameOverHttps } from './client-address.js'

export const SESSION_COOKIE = 'kpi_session'

/**
 * The cookie's rules: HttpOnly (no script reads it), SameSite=Strict (never sent on a request
 * another site starts; the web app is one page that loads without it, then calls the API from
 * its own origin, so nothing is lost), path '/', Secure whenever the browser came over HTTPS or
 * COOKIE_SECURE=1. No Expires: it ends with the browser; the server enforces the lifetimes.
 */
const options = (c: Context, config: Pick<AuthConfig, 'trustProxy' | 'cookieSecure'>) =>
  ({ httpOnly: true, sameSite: 'Strict', path: '/', secure: config.cookieSecure || cameOverHttps(c, config.trustProxy) }) as const

export function setSessionCookie(c: Context, token: string, config: Pick<AuthConfig, 'trustProxy' | 'cookieSecure'>): void {
  setCookie(c, SESSION_COOKIE, token, options(c, config))
}

export function clearSessionCookie(c: Context, config: Pick<AuthConfig, 'trustProxy' | 'cookieSecure'>): void {
  deleteCookie(c, SESSION_COOKIE, options(c, config))
}

/** The bearer token, if the request carries one. */
export const bearerToken = (c: Context): string | undefined => c.req.header('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1]

/** The token a request is authenticated by: the bearer token, else the session cookie. */
export const currentToken = (c: Context): string | undefined => bearerToken(c) ?? getCookie(c, SESSION_COOKIE)

/** Every session token the request presents: bearer and cookie. */
export function presentedTokens(c: Context): string[] {
  return [...new Set([bearerToken(c), getCookie(c, SESSION_COOKIE)].filter((t): t is string => !!t))]
}
