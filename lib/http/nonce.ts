// The request header that carries this response's script nonce from the custom server
// (server/http/security-headers.ts) to the root layout. Set by the server over any value a
// client sent, so a page never renders a nonce the client chose.
export const NONCE_HEADER = "x-parley-nonce";
