/**
 * Pattern source: ionic-team/cs-demo-iv src/app/services/http-interceptors/auth-interceptor.ts
 * (Identity Vault ~3.4.3 and ~4.2.6): every request but the login call asks the identity service
 * for its token (`getToken()`, which restores the session when `token` is empty, unlocking under
 * `unlockOnAccess`), adds `Authorization: Bearer <token>` when there is one, and sends the request
 * without it when reading the token fails. Angular's `HttpInterceptor`/`HttpHandler` are replaced by
 * a plain request and `next` function. Written anew here.
 */
import type { RecordedRequest } from '../harness.js';
import type { IdentityService } from './identity.service.js';

export class AuthInterceptor {
  constructor(private identity: IdentityService) {}

  async intercept<R>(req: RecordedRequest, next: (req: RecordedRequest) => Promise<R>): Promise<R> {
    if (this.requestRequiresToken(req)) {
      await this.identity
        .getToken()
        .then((token) => {
          if (token) {
            req = { ...req, headers: { ...req.headers, Authorization: 'Bearer ' + token } };
          }
        })
        .catch(() => Promise.resolve());
    }
    return next(req);
  }

  private requestRequiresToken(req: RecordedRequest): boolean {
    return !/\/login$/.test(req.url);
  }
}
