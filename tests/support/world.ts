// A small populated Parley for REST tests: an owner, a member, an outsider, one server with its
// #general channel and an invite code, plus tokens that must all be refused.
import { SignJWT } from "jose";
import type { Channel, Server } from "../../lib/domain/types";
import { apiClient, createServerAs, joinServer, registerUser, type ApiClient, type TestUser } from "./api";
import type { PathValues } from "./routes";
import type { ParleyServer } from "./server";

export interface World {
  api: ApiClient;
  owner: TestUser;
  member: TestUser;
  outsider: TestUser;
  guild: Server;
  general: Channel;
  invite: string;
  /** Path values that name things the owner and member can reach. */
  values: PathValues;
}

export async function buildWorld(server: ParleyServer): Promise<World> {
  const api = apiClient(server.url);
  const [owner, member, outsider] = await Promise.all([registerUser(api), registerUser(api), registerUser(api)]);
  const guild = await createServerAs(api, owner, "World");
  await joinServer(api, guild, owner, member);
  const invite = await api.post<{ code: string }>(`/api/v1/servers/${guild.id}/invites`, {}, owner.token);
  const general = guild.channels[0]!;
  return {
    api,
    owner,
    member,
    outsider,
    guild,
    general,
    invite: invite.body.code,
    values: { serverId: guild.id, channelId: general.id, code: invite.body.code },
  };
}

/** Makes a new user who is a member of `world.guild`. */
export async function newMember(world: World): Promise<TestUser> {
  const user = await registerUser(world.api);
  await joinServer(world.api, world.guild, world.owner, user);
  return user;
}

/** Tokens that look plausible but must be refused with 401, by kind. */
export async function refusedTokens(server: ParleyServer, userId: string): Promise<Array<[string, string]>> {
  const foreignKey = new TextEncoder().encode("some-other-secret-that-is-long-enough-9876543210");
  const otherSecret = await new SignJWT({ sub: userId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuer("parley")
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(foreignKey);
  const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${base64url({ alg: "none", typ: "JWT" })}.${base64url({ sub: userId, iss: "parley", exp: Math.floor(Date.now() / 1000) + 3600 })}.`;
  const valid = await server.deps.tokens.sign({ sub: userId, sid: userId });
  const [header, , signature] = valid.split(".");
  const tampered = `${header}.${base64url({ sub: "1", iss: "parley", exp: Math.floor(Date.now() / 1000) + 3600 })}.${signature}`;
  return [
    ["a garbage token", "not-a-jwt"],
    ["a token signed with another secret", otherSecret],
    ["an expired token", await server.deps.tokens.sign({ sub: userId, sid: userId }, -10)],
    ["an unsigned (alg none) token", unsigned],
    ["a token whose payload was altered", tampered],
    ["a token for a user who does not exist", await server.deps.tokens.sign({ sub: "9000000000000000001", sid: "9000000000000000001" })],
  ];
}
