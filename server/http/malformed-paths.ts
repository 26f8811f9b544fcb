// A request path whose percent-encoding does not decode ("%", "%zz", bytes that are not UTF-8
// such as "%FF" or a lone surrogate's "%ED%A0%80"): Next's router throws on it while matching
// dynamic segments, which answered 500. The path is refused here with the contract's 400
// before any route sees it (found by the fuzz tier, tests/fuzz).
import type { ServerResponse } from "node:http";
import { errorBody, errors } from "../../lib/errors";

export function hasMalformedEncoding(path: string): boolean {
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

export function refuseMalformedPath(res: ServerResponse): void {
  res.writeHead(400, { "content-type": "application/json" });
  res.end(JSON.stringify(errorBody(errors.validation("The request path is not valid percent-encoded UTF-8."))));
}
