// The slice of oidc-provider 9 (no bundled types) that the OIDC test uses.
declare module 'oidc-provider' {
  import type { Server } from 'node:http';

  export interface Account {
    accountId: string;
    claims: () => Record<string, unknown>;
  }

  export default class Provider {
    constructor(
      issuer: string,
      configuration: Record<string, unknown> & {
        findAccount?: (ctx: unknown, id: string) => Account | undefined;
        issueRefreshToken?: (
          ctx: unknown,
          client: { grantTypeAllowed: (grant: string) => boolean },
        ) => Promise<boolean>;
      },
    );
    issuer: string;
    listen(port: number, host: string, callback: () => void): Server;
  }
}
