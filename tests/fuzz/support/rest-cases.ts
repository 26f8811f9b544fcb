// One fuzz case of a REST route: path segments, query string and body, generated from what the
// route accepts (valid values among them) and from hostile values; and the routes under app/api.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { hostileBodyText, hostileJson, hostileKey, hostileString, nearlyValid, pathSegment, queryString, wtf8Bytes } from "./hostile";

export interface RestCase {
  /** Each `{param}` of the template, already encoded for the URL. */
  segments: Record<string, string>;
  query: string;
  body: { kind: "none" } | { kind: "json"; value: unknown; wtf8: boolean } | { kind: "text"; text: string };
  contentType?: string;
}

export interface CaseShape {
  segments?: Record<string, fc.Arbitrary<string>>;
  /** Query parameter names the route reads (others are made up too). */
  queryNames?: string[];
  queryValues?: fc.Arbitrary<string>;
  /** Fields of the valid body, each with plausible values (valid ones included). */
  fields?: Record<string, fc.Arbitrary<unknown>>;
}

const CONTENT_TYPES = ["application/json", "application/json", "application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", undefined] as const;

export function restCase(shape: CaseShape): fc.Arbitrary<RestCase> {
  const segments = fc.record(Object.fromEntries(Object.entries(shape.segments ?? {}).map(([name, value]) => [name, pathSegment(value)])));
  const names = fc.oneof(fc.constantFrom(...(shape.queryNames ?? ["limit"])), hostileKey);
  const values = fc.oneof(shape.queryValues ?? hostileString, hostileString);
  const query = queryString(fc.array(fc.tuple(names, values), { maxLength: 4 }));
  const json: Array<fc.WeightedArbitrary<unknown>> = [{ weight: 2, arbitrary: hostileJson }];
  if (shape.fields) json.push({ weight: 6, arbitrary: nearlyValid(shape.fields) });
  const body: fc.Arbitrary<RestCase["body"]> = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.oneof(...json), fc.boolean()).map(([value, wtf8]) => ({ kind: "json" as const, value, wtf8 })) },
    { weight: 2, arbitrary: hostileBodyText.map((text) => ({ kind: "text" as const, text })) },
    { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
  );
  return fc.record({ segments, query, body, contentType: fc.constantFrom(...CONTENT_TYPES) }, { requiredKeys: ["segments", "query", "body"] });
}

/** The request body as bytes: JSON (lone surrogates escaped, or as raw WTF-8 bytes) or raw text. */
export function bodyBytes(body: RestCase["body"]): Uint8Array | undefined {
  if (body.kind === "none") return undefined;
  if (body.kind === "text") return wtf8Bytes(body.text);
  const text = JSON.stringify(body.value) ?? "null";
  return body.wtf8 ? wtf8Bytes(text) : Buffer.from(text, "utf8");
}

export function fillTemplate(template: string, segments: Record<string, string>): string {
  return template.replace(/\{(\.\.\.)?([a-zA-Z]+)\}/g, (_, __, name: string) => {
    const value = segments[name];
    if (value === undefined) throw new Error(`no segment for {${name}} in ${template}`);
    return value;
  });
}

/** "VERB /path/{param}" for every exported handler under app/api (Next's [param] as {param}). */
export function appRouteLabels(root: string): string[] {
  const labels: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === "route.ts") {
        const source = readFileSync(full, "utf8");
        const methods = new Set<string>();
        for (const m of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
        for (const m of source.matchAll(/export \{([^}]*)\}/g)) for (const a of m[1]!.matchAll(/as (GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(a[1]!);
        const urlPath = "/" + path.relative(path.join(root, "app"), dir).split(path.sep).map((s) => s.replace(/^\[(\.\.\.)?(\w+)\]$/, "{$1$2}")).join("/");
        for (const method of methods) labels.push(`${method} ${urlPath}`);
      }
    }
  };
  walk(path.join(root, "app"));
  return labels.sort();
}

/** The canonical id a digit string names ("007" is 7), or undefined for anything else. */
export function canonical(raw: string): string | undefined {
  return /^[0-9]{1,20}$/.test(raw) ? BigInt(raw).toString() : undefined;
}

/** The raw value of an encoded segment (as Parley decodes it), or undefined when it does not decode. */
export function decodedSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
