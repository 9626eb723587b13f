/** What the middleware leaves on the context for the routes. */
export interface HttpEnv {
  Variables: {
    /** The caller's address: the socket's, or X-Forwarded-For's last hop with TRUST_PROXY. */
    client: string;
    /** The socket address is loopback and no proxy forwarded the request. */
    local: boolean;
    /** Set by requireStaff: the staff member's token name ("admin" for a single unnamed ADMIN_TOKEN), or "loopback". */
    staff: string;
    /** Set by staffSession: the staff name a valid session cookie was issued to. */
    session: string;
    /** Set by staffSession: staff sign in here (ADMIN_TOKEN is set). */
    sessions: boolean;
  };
}
