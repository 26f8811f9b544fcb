// 400 VALIDATION_FAILED on every route: malformed ids in paths and queries, bodies that are
// not JSON objects, and each field rule, with lengths counted in Unicode code points.
import { describe, expect, test } from "vitest";
import { uniqueName } from "../support/api";
import { BODY_ROUTES, callRoute, ID_ROUTES, ROUTES } from "../support/routes";
import { serverForThisFile, type ParleyServer } from "../support/server";
import { expectError } from "../support/shapes";
import { buildWorld, newMember, type World } from "../support/world";

let server: ParleyServer;
let world: World;
serverForThisFile(async (started) => {
  server = started;
  world = await buildWorld(started);
});

const EMOJI = "😀"; // one code point, two UTF-16 units, four UTF-8 bytes
const route = (label: string) => ROUTES.find((r) => r.label === label)!;
/** Sends may count against the 5/s budget even when refused, so each send row gets its own user. */
const callerFor = async (label: string) => (label.includes("/messages") && label.startsWith("POST") ? (await newMember(world)).token : world.owner.token);

describe("malformed ids are 400, well-formed ones that name nothing are 404", () => {
  const MALFORMED = ["abc", "-1", "1.5", "1e5", "0x1F", "+1", " 1", "١٢٣", "100000000000000000000", "000000000000000000001", "9223372036854775808", "99999999999999999999"];
  test.each(ID_ROUTES.flatMap((r) => MALFORMED.map((id) => [r.label, id, r] as const)))("%s with %j", async (label, id, spec) => {
    const res = await callRoute(world.api, spec, { [spec.idParam!]: id }, { token: await callerFor(label) });
    expectError(res, 400, "VALIDATION_FAILED");
  });

  const WELL_FORMED = ["0", "9223372036854775807", "00000000000000000000"];
  test.each(ID_ROUTES.flatMap((r) => WELL_FORMED.map((id) => [r.label, id, r] as const)))("%s with %j", async (label, id, spec) => {
    const res = await callRoute(world.api, spec, { [spec.idParam!]: id }, { token: await callerFor(label) });
    expectError(res, 404, "NOT_FOUND");
  });

  const QUERIES = [
    ["GET /api/v1/channels/{channelId}/messages", "before"],
    ["GET /api/v1/channels/{channelId}/messages", "after"],
    ["GET /api/v1/servers/{serverId}/members", "after"],
  ] as const;
  test.each(QUERIES.flatMap(([label, name]) => ["abc", "-1", "1.5", "", "9223372036854775808", "123456789012345678901"].map((v) => [label, name, v] as const)))(
    "%s with %s=%j",
    async (label, name, value) => {
      const path = route(label).template.replace("{channelId}", world.general.id).replace("{serverId}", world.guild.id);
      expectError(await world.api.get(`${path}?${name}=${encodeURIComponent(value)}`, world.owner.token), 400, "VALIDATION_FAILED");
    },
  );

  test.each(["0", "1001", "-1", "1.5", "abc", ""])("GET /api/v1/servers/{serverId}/members with limit=%j", async (limit) => {
    const res = await world.api.get(`/api/v1/servers/${world.guild.id}/members?limit=${limit}`, world.owner.token);
    expectError(res, 400, "VALIDATION_FAILED");
  });

  test.each(["1", "1000"])("GET /api/v1/servers/{serverId}/members accepts limit=%s", async (limit) => {
    expect((await world.api.get(`/api/v1/servers/${world.guild.id}/members?limit=${limit}`, world.owner.token)).status).toBe(200);
  });
});

describe("a body that is not a JSON object is 400", () => {
  const NOT_OBJECTS: Array<[string, string]> = [
    ["non-JSON text", "hello"],
    ["truncated JSON", '{"name": "x"'],
    ["a JSON array", '[{"name": "x"}]'],
    ["JSON null", "null"],
    ["a JSON string", '"x"'],
    ["a JSON number", "5"],
    ["an empty body", ""],
  ];
  test.each(BODY_ROUTES.flatMap((r) => NOT_OBJECTS.map(([what, raw]) => [r.label, what, raw, r] as const)))("%s with %s", async (label, _what, raw, spec) => {
    const res = await callRoute(world.api, spec, world.values, { token: spec.public ? undefined : await callerFor(label), rawBody: raw });
    expectError(res, 400, "VALIDATION_FAILED");
  });
});

type Row = [label: string, what: string, body: () => Record<string, unknown>, status: number];
const reg = (fields: Record<string, unknown>) => () => ({ username: uniqueName("v"), password: "long enough password", ...fields });
const pad = (n: number, ch = "a") => ch.repeat(n);

const FIELD_RULES: Row[] = [
  // No 2xx rows for the password route: it would end the world owner's sign-in.
  ["PUT /api/v1/users/@me/password", "no currentPassword", () => ({ newPassword: "long enough password" }), 400],
  ["PUT /api/v1/users/@me/password", "a numeric currentPassword", () => ({ currentPassword: 12345678, newPassword: "long enough password" }), 400],
  ["PUT /api/v1/users/@me/password", "no newPassword", () => ({ currentPassword: "correct horse battery" }), 400],
  ["PUT /api/v1/users/@me/password", "a 7-character newPassword", () => ({ currentPassword: "correct horse battery", newPassword: pad(7) }), 400],
  ["PUT /api/v1/users/@me/password", "a 129-character newPassword", () => ({ currentPassword: "correct horse battery", newPassword: pad(129) }), 400],
  ["POST /api/v1/auth/register", "no username", () => ({ password: "long enough password" }), 400],
  ["POST /api/v1/auth/register", "a numeric username", reg({ username: 12345 }), 400],
  ["POST /api/v1/auth/register", "a 2-character username", reg({ username: "ab" }), 400],
  ["POST /api/v1/auth/register", "a 33-character username", reg({ username: pad(33, "u") }), 400],
  ["POST /api/v1/auth/register", "a username with a space", reg({ username: "has space" }), 400],
  ["POST /api/v1/auth/register", "a username with a dash", reg({ username: "has-dash" }), 400],
  ["POST /api/v1/auth/register", "a username with a non-ASCII letter", reg({ username: "émile" }), 400],
  ["POST /api/v1/auth/register", "a 32-character username of a-z 0-9 _ .", () => ({ username: `${uniqueName("u")}.`.padEnd(32, "_"), password: "long enough password" }), 201],
  ["POST /api/v1/auth/register", "no password", () => ({ username: uniqueName("v") }), 400],
  ["POST /api/v1/auth/register", "a numeric password", reg({ password: 123456789 }), 400],
  ["POST /api/v1/auth/register", "a 7-character password", reg({ password: pad(7) }), 400],
  ["POST /api/v1/auth/register", "a password of 7 emoji (14 UTF-16 units)", reg({ password: pad(7, EMOJI) }), 400],
  ["POST /api/v1/auth/register", "a password of 8 emoji", reg({ password: pad(8, EMOJI) }), 201],
  ["POST /api/v1/auth/register", "a 128-character password", reg({ password: pad(128) }), 201],
  ["POST /api/v1/auth/register", "a 129-character password", reg({ password: pad(129) }), 400],
  ["POST /api/v1/auth/register", "a password of 128 emoji", reg({ password: pad(128, EMOJI) }), 201],
  ["POST /api/v1/auth/register", "a password of 129 emoji", reg({ password: pad(129, EMOJI) }), 400],
  ["POST /api/v1/auth/register", "an empty displayName", reg({ displayName: "" }), 400],
  ["POST /api/v1/auth/register", "a blank displayName", reg({ displayName: "   " }), 400],
  ["POST /api/v1/auth/register", "a numeric displayName", reg({ displayName: 7 }), 400],
  ["POST /api/v1/auth/register", "a 33-character displayName", reg({ displayName: pad(33) }), 400],
  ["POST /api/v1/auth/register", "a displayName of 32 emoji (64 UTF-16 units)", reg({ displayName: pad(32, EMOJI) }), 201],
  ["POST /api/v1/auth/register", "a displayName of 33 emoji", reg({ displayName: pad(33, EMOJI) }), 400],
  ["POST /api/v1/auth/register", "a displayName with a NUL character", reg({ displayName: "nul\u0000name" }), 400],
  ["POST /api/v1/auth/login", "no password", () => ({ username: "someone" }), 400],
  ["POST /api/v1/auth/login", "no username", () => ({ password: "long enough password" }), 400],
  ["POST /api/v1/auth/login", "a numeric password", () => ({ username: "someone", password: 12345678 }), 400],
  ["POST /api/v1/servers", "no name", () => ({}), 400],
  ["POST /api/v1/servers", "a numeric name", () => ({ name: 5 }), 400],
  ["POST /api/v1/servers", "an empty name", () => ({ name: "" }), 400],
  ["POST /api/v1/servers", "a blank name", () => ({ name: " \t " }), 400],
  ["POST /api/v1/servers", "a 101-character name", () => ({ name: pad(101) }), 400],
  ["POST /api/v1/servers", "a 100-character name inside spaces", () => ({ name: `  ${pad(100)}  ` }), 201],
  ["POST /api/v1/servers", "a name of 100 emoji", () => ({ name: pad(100, EMOJI) }), 201],
  ["POST /api/v1/servers", "a name of 101 emoji", () => ({ name: pad(101, EMOJI) }), 400],
  ["POST /api/v1/servers", "a name with a NUL character", () => ({ name: "nul\u0000name" }), 400],
  ["POST /api/v1/servers/{serverId}/channels", "no name", () => ({}), 400],
  ["POST /api/v1/servers/{serverId}/channels", "a numeric name", () => ({ name: 12 }), 400],
  ["POST /api/v1/servers/{serverId}/channels", "an empty name", () => ({ name: "" }), 400],
  ["POST /api/v1/servers/{serverId}/channels", "a blank name", () => ({ name: "   " }), 400],
  ["POST /api/v1/servers/{serverId}/channels", "a name with punctuation", () => ({ name: "bad!name" }), 400],
  ["POST /api/v1/servers/{serverId}/channels", "a name with non-ASCII letters", () => ({ name: "ünïcode" }), 400],
  ["POST /api/v1/servers/{serverId}/channels", "a name with an emoji", () => ({ name: `fun${EMOJI}` }), 400],
  ["POST /api/v1/servers/{serverId}/channels", "a 100-character name", () => ({ name: pad(100, "c") }), 201],
  ["POST /api/v1/servers/{serverId}/channels", "a 101-character name", () => ({ name: pad(101, "c") }), 400],
  ["POST /api/v1/channels/{channelId}/messages", "no content", () => ({}), 400],
  ["POST /api/v1/channels/{channelId}/messages", "numeric content", () => ({ content: 42 }), 400],
  ["POST /api/v1/channels/{channelId}/messages", "empty content", () => ({ content: "" }), 400],
  ["POST /api/v1/channels/{channelId}/messages", "blank content", () => ({ content: " \n\t " }), 400],
  ["POST /api/v1/channels/{channelId}/messages", "2000 characters", () => ({ content: pad(2000) }), 201],
  ["POST /api/v1/channels/{channelId}/messages", "2000 characters inside whitespace", () => ({ content: `\n ${pad(2000)} \n` }), 201],
  ["POST /api/v1/channels/{channelId}/messages", "2001 characters", () => ({ content: pad(2001) }), 400],
  ["POST /api/v1/channels/{channelId}/messages", "2000 emoji (4000 UTF-16 units)", () => ({ content: pad(2000, EMOJI) }), 201],
  ["POST /api/v1/channels/{channelId}/messages", "2001 emoji", () => ({ content: pad(2001, EMOJI) }), 400],
  ["POST /api/v1/channels/{channelId}/messages", "content with a NUL character", () => ({ content: "a\u0000b" }), 400],
  ["POST /api/v1/channels/{channelId}/messages", "content with half a surrogate pair (not Unicode)", () => ({ content: "broken \ud83d text" }), 400],
  ["POST /api/v1/channels/{channelId}/messages", "an empty nonce", () => ({ content: "hi", nonce: "" }), 400],
  ["POST /api/v1/channels/{channelId}/messages", "a numeric nonce", () => ({ content: "hi", nonce: 123 }), 400],
  ["POST /api/v1/channels/{channelId}/messages", "a 65-character nonce", () => ({ content: "hi", nonce: pad(65, "n") }), 400],
  ["POST /api/v1/channels/{channelId}/messages", "a 64-character nonce of A-Z a-z 0-9 - _", () => ({ content: "hi", nonce: `Az09-_${pad(58, "n")}` }), 201],
  ["POST /api/v1/channels/{channelId}/messages", "a nonce with a space", () => ({ content: "hi", nonce: "has space" }), 400],
  ["POST /api/v1/channels/{channelId}/messages", "a nonce with a dot", () => ({ content: "hi", nonce: "a.b" }), 400],
  ["POST /api/v1/channels/{channelId}/messages", "a nonce with an emoji", () => ({ content: "hi", nonce: `n${EMOJI}` }), 400],
];

describe("each field rule of the spec", () => {
  test.each(FIELD_RULES.map(([label, what, body, status]) => [label, what, status, body] as const))("%s with %s -> %i", async (label, _what, status, body) => {
    const spec = route(label);
    const res = await callRoute(world.api, spec, world.values, { token: spec.public ? undefined : await callerFor(label), body: body() });
    if (status === 400) expectError(res, 400, "VALIDATION_FAILED");
    else expect(res.status, JSON.stringify(res.body)).toBe(status);
  });
});
