// The EventBus contract: every domain event published on the bus reaches, as its gateway event,
// exactly the sockets it is meant for (on every gateway node), once each, in the order
// published; and nobody else. Real gateways, real socket.io-client connections.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { TokenService } from "../../lib/auth/tokens";
import type { Channel, Member, Message, Server, User } from "../../lib/domain/types";
import type { ServerToClientEvents } from "../../lib/gateway-events";
import type { EventBus, ParleyEvent } from "../../lib/ports/event-bus";
import type { MetadataStore } from "../../lib/ports/metadata-store";
import { uniqueIds } from "./databases";
import { connectClient, emitWithAck, payloadsOf, recordEvents, settle, waitFor, type GatewayClient } from "../support/gateway";

export interface EventBusHarness {
  /** Base URLs of the gateway nodes clients connect to: one, or several sharing Redis. */
  gateways: string[];
  /** The bus under test: where use cases publish (a gateway's own, or a socket-less emitter). */
  bus: EventBus;
  /** The metadata the gateways read (to set up people and servers), and tokens they accept. */
  metadata: MetadataStore;
  tokens: TokenService;
  close(): Promise<void>;
}

type Recorded = Array<{ name: string; payload: any }>;
const ALL_EVENTS: Array<keyof ServerToClientEvents> = ["message:create", "channel:activity", "presence:update", "typing:start", "server:join", "member:add", "member:remove", "channel:create"];

export function describeEventBusContract(name: string, setup: () => Promise<EventBusHarness>): void {
  describe(`EventBus contract: ${name}`, () => {
    let h: EventBusHarness;
    const open: GatewayClient[] = [];
    const ids = uniqueIds();
    const unique = () => ids.next();
    let n = 0;

    beforeAll(async () => {
      h = await setup();
      await untilDeliveryWorks();
    });
    afterEach(() => {
      for (const socket of open.splice(0)) socket.close();
    });
    afterAll(async () => {
      await h?.close();
    });

    const newUser = async (): Promise<User> => {
      const id = unique();
      const user = await h.metadata.createUser({ id, username: `eb_${id}`, displayName: `EB ${id}`, passwordHash: "not-used" });
      if (!user) throw new Error("user id clash");
      return user;
    };
    const newServer = async (owner: User, ...members: User[]): Promise<Server> => {
      const server = await h.metadata.createServer({ server: { id: unique(), name: `eb ${++n}`, ownerId: owner.id }, generalChannel: { id: unique(), name: "general" }, joinedAt: new Date() });
      for (const m of members) await h.metadata.addMember(server.id, m.id, new Date());
      return server;
    };
    /** A socket of `user` on gateway node `node` (modulo the number of nodes), recording every event. */
    const connect = async (user: User, node: number): Promise<{ socket: GatewayClient; heard: Recorded }> => {
      const { socket } = await connectClient(h.gateways[node % h.gateways.length]!, await h.tokens.sign({ sub: user.id, sid: user.id }));
      open.push(socket);
      return { socket, heard: recordEvents(socket, ALL_EVENTS) };
    };
    const messageIn = (server: Server, author: User, content = `hello ${unique()}`): Message => ({
      id: unique(),
      channelId: server.channels[0]!.id,
      serverId: server.id,
      author,
      content,
      nonce: `n${n}`,
      createdAt: new Date().toISOString(),
    });
    const heardOnce = async (heard: Recorded, event: keyof ServerToClientEvents, payload: unknown) => {
      await waitFor(() => payloadsOf(heard, event).some((p) => JSON.stringify(p) === JSON.stringify(payload)), 5_000, `${event} to arrive`);
    };
    /** After everything in flight has landed: exactly these payloads of `event`, in this order. */
    const expectHeard = (heard: Recorded, event: keyof ServerToClientEvents, payloads: unknown[]) => expect(payloadsOf(heard, event)).toEqual(payloads);

    /** Fan-out across nodes starts once every node's subscription is in place: wait for it, bounded. */
    async function untilDeliveryWorks() {
      const owner = await newUser();
      const server = await newServer(owner);
      const probes = await Promise.all(h.gateways.map((_, i) => connect(owner, i)));
      const deadline = Date.now() + 15_000;
      for (;;) {
        const probe = messageIn(server, owner);
        await h.bus.publish({ type: "message.created", message: probe });
        await settle(100);
        if (probes.every(({ heard }) => payloadsOf(heard, "message:create").some((m) => m.id === probe.id))) break;
        if (Date.now() > deadline) throw new Error("events published on the bus never reached every gateway node");
      }
      for (const { socket } of probes) socket.close();
    }

    test("message.created reaches every socket of every member on every node, the author's own included, once each; outsiders hear nothing", async () => {
      const [author, member, outsider] = [await newUser(), await newUser(), await newUser()];
      const server = await newServer(author, member);
      await newServer(outsider);
      const authorTabs = [await connect(author, 0), await connect(author, 1)];
      const memberTab = await connect(member, 1);
      const outsiderTab = await connect(outsider, 0);

      const message = messageIn(server, author);
      await h.bus.publish({ type: "message.created", message });
      for (const tab of [...authorTabs, memberTab]) await heardOnce(tab.heard, "message:create", message);
      await settle();
      for (const tab of [...authorTabs, memberTab]) expectHeard(tab.heard, "message:create", [message]);
      expect(outsiderTab.heard).toEqual([]);
    });

    test("events arrive in the order they were published, on every node", async () => {
      const [a, b] = [await newUser(), await newUser()];
      const server = await newServer(a, b);
      const tabs = [await connect(a, 0), await connect(b, 1), await connect(b, 0)];
      const messages = Array.from({ length: 20 }, (_, i) => messageIn(server, a, `#${i}`));
      for (const message of messages) await h.bus.publish({ type: "message.created", message });
      for (const tab of tabs) await waitFor(() => payloadsOf(tab.heard, "message:create").length >= messages.length, 5_000, "20 messages");
      await settle();
      for (const tab of tabs) expectHeard(tab.heard, "message:create", messages);
    });

    test("message.created reaches passive connections on every node in full in a channel they focus, else as one coalesced channel:activity; the others hear everything", async () => {
      const [author, member] = [await newUser(), await newUser()];
      const server = await newServer(author, member);
      const random = await h.metadata.createChannel({ id: unique(), serverId: server.id, name: "random" });
      const passiveTabs = [await connect(member, 0), await connect(member, 1)];
      for (const { socket } of passiveTabs) {
        expect(await emitWithAck(socket, "channels:focus", { channelIds: [server.channels[0]!.id] })).toEqual({ ok: true });
      }
      const v1Tab = await connect(author, 1);

      const inRandom = [{ ...messageIn(server, author), channelId: random.id }, { ...messageIn(server, author), channelId: random.id }];
      for (const message of inRandom) await h.bus.publish({ type: "message.created", message });
      const marker = messageIn(server, author);
      await h.bus.publish({ type: "message.created", message: marker });
      const activity = (m: Message) => ({ channelId: m.channelId, serverId: m.serverId, lastMessageId: m.id });
      for (const tab of passiveTabs) {
        await heardOnce(tab.heard, "message:create", marker);
        // The first at once, the second folded into the end of its 2 s window.
        await waitFor(() => payloadsOf(tab.heard, "channel:activity").length === 2, 5_000, "two channel:activity");
      }
      await heardOnce(v1Tab.heard, "message:create", marker);
      await settle();
      for (const tab of passiveTabs) {
        expectHeard(tab.heard, "message:create", [marker]);
        expectHeard(tab.heard, "channel:activity", inRandom.map(activity));
      }
      expectHeard(v1Tab.heard, "message:create", [...inRandom, marker]);
      expectHeard(v1Tab.heard, "channel:activity", []);
    });

    test("server.joined while passive puts the socket, on every node, where it hears the new server as channel:activity only", async () => {
      const [owner, joiner] = [await newUser(), await newUser()];
      const home = await newServer(joiner);
      const server = await newServer(owner);
      const tabs = [await connect(joiner, 0), await connect(joiner, 1)];
      for (const { socket } of tabs) expect(await emitWithAck(socket, "channels:focus", { channelIds: [home.channels[0]!.id] })).toEqual({ ok: true });

      await h.metadata.addMember(server.id, joiner.id, new Date());
      await h.bus.publish({ type: "server.joined", userId: joiner.id, server });
      for (const tab of tabs) await heardOnce(tab.heard, "server:join", server);
      const message = messageIn(server, owner);
      await h.bus.publish({ type: "message.created", message });
      const marker = messageIn(home, joiner);
      await h.bus.publish({ type: "message.created", message: marker });
      for (const tab of tabs) await heardOnce(tab.heard, "message:create", marker);
      await settle();
      for (const tab of tabs) {
        expectHeard(tab.heard, "message:create", [marker]);
        expectHeard(tab.heard, "channel:activity", [{ channelId: message.channelId, serverId: server.id, lastMessageId: message.id }]);
      }
    });

    test("typing.started reaches the server's members except the typer, as {channelId, userId}", async () => {
      const [typer, member] = [await newUser(), await newUser()];
      const server = await newServer(typer, member);
      const typerTabs = [await connect(typer, 0), await connect(typer, 1)];
      const memberTabs = [await connect(member, 1), await connect(member, 0)];

      const typing = { channelId: server.channels[0]!.id, userId: typer.id };
      await h.bus.publish({ type: "typing.started", serverId: server.id, ...typing });
      for (const tab of memberTabs) await heardOnce(tab.heard, "typing:start", typing);
      await settle();
      for (const tab of memberTabs) expectHeard(tab.heard, "typing:start", [typing]);
      for (const tab of typerTabs) expectHeard(tab.heard, "typing:start", []);
    });

    test("presence.changed reaches everyone sharing one of the listed servers once, even when sharing several; not the user, not others", async () => {
      const [subject, inBoth, inOne, stranger] = [await newUser(), await newUser(), await newUser(), await newUser()];
      const first = await newServer(subject, inBoth, inOne);
      const second = await newServer(subject, inBoth);
      await newServer(stranger);
      // Gateways announce real presence on connect ("online"); the bus's event here says "idle".
      const subjectTab = await connect(subject, 0);
      const bothTab = await connect(inBoth, 1);
      const oneTab = await connect(inOne, 0);
      const strangerTab = await connect(stranger, 1);
      const idle = (heard: Recorded) => payloadsOf(heard, "presence:update").filter((p) => p.status === "idle");

      await h.bus.publish({ type: "presence.changed", userId: subject.id, status: "idle", serverIds: [first.id, second.id], at: Date.now() * 1000 });
      for (const tab of [bothTab, oneTab]) await waitFor(() => idle(tab.heard).length > 0, 5_000, "presence:update idle");
      await settle();
      for (const tab of [bothTab, oneTab]) expect(idle(tab.heard)).toEqual([{ userId: subject.id, status: "idle" }]);
      expect(payloadsOf(subjectTab.heard, "presence:update").filter((p) => p.userId === subject.id)).toEqual([]);
      expect(idle(strangerTab.heard)).toEqual([]);
    });

    test("presence.changed is coalesced per user on every node: a flapping status reaches each connection at most once a second, ending on the latest", async () => {
      const [subject, watcher] = [await newUser(), await newUser()];
      const server = await newServer(subject, watcher);
      // The subject never connects: every presence:update about them comes from the bus.
      const tabs = [await connect(watcher, 0), await connect(watcher, 1)];
      const arrivals = tabs.map(() => [] as Array<{ at: number; status: string }>);
      tabs.forEach((tab, i) =>
        tab.socket.on("presence:update", (p: { userId: string; status: string }) => {
          if (p.userId === subject.id) arrivals[i]!.push({ at: performance.now(), status: p.status });
        }),
      );
      const statuses = ["idle", "dnd", "online"] as const;
      const changes = 30;
      const started = performance.now();
      for (let i = 0; i < changes; i++) {
        await h.bus.publish({ type: "presence.changed", userId: subject.id, status: statuses[i % 3]!, serverIds: [server.id], at: Date.now() * 1000 + i });
        await new Promise((r) => setTimeout(r, 50));
      }
      const flappingMs = performance.now() - started;
      const latest = statuses[(changes - 1) % 3];
      for (const heard of arrivals) await waitFor(() => heard.at(-1)?.status === latest, 5_000, `presence:update ${latest}`);
      await settle();
      for (const heard of arrivals) {
        // 30 changes over ~1.5 s (longer on a loaded machine): the first at once, then at most one per second.
        expect(heard.length).toBeGreaterThanOrEqual(2);
        expect(heard.length).toBeLessThanOrEqual(2 + Math.ceil(flappingMs / 1000));
        expect(heard.at(-1)!.status).toBe(latest);
        // Delivery jitter (Redis, timers) may bring two a little under a second apart, never close.
        for (let i = 1; i < heard.length; i++) expect(heard[i]!.at - heard[i - 1]!.at).toBeGreaterThan(850);
      }
    });

    test("presence.changed of a user in no server reaches nobody", async () => {
      const [subject, watcher] = [await newUser(), await newUser()];
      const server = await newServer(watcher);
      const watcherTab = await connect(watcher, 1);
      await h.bus.publish({ type: "presence.changed", userId: subject.id, status: "dnd", serverIds: [], at: Date.now() * 1000 });
      // A marker published afterwards arrives after it would have.
      const marker = messageIn(server, watcher);
      await h.bus.publish({ type: "message.created", message: marker });
      await heardOnce(watcherTab.heard, "message:create", marker);
      await settle();
      expectHeard(watcherTab.heard, "presence:update", []);
    });

    test("server.joined puts every socket of the user, on every node, into the server's room and tells each of them", async () => {
      const [owner, joiner] = [await newUser(), await newUser()];
      const server = await newServer(owner);
      const ownerTab = await connect(owner, 0);
      const joinerTabs = [await connect(joiner, 0), await connect(joiner, 1)];

      await h.metadata.addMember(server.id, joiner.id, new Date());
      await h.bus.publish({ type: "server.joined", userId: joiner.id, server });
      for (const tab of joinerTabs) await heardOnce(tab.heard, "server:join", server);

      const message = messageIn(server, owner); // without reconnecting, the new room delivers
      await h.bus.publish({ type: "message.created", message });
      for (const tab of [...joinerTabs, ownerTab]) await heardOnce(tab.heard, "message:create", message);
      await settle();
      for (const tab of joinerTabs) {
        expectHeard(tab.heard, "server:join", [server]);
        expectHeard(tab.heard, "message:create", [message]);
      }
      expectHeard(ownerTab.heard, "server:join", []);
    });

    test("member.added reaches the server's other members, not the new member", async () => {
      const [owner, member, newcomer] = [await newUser(), await newUser(), await newUser()];
      const server = await newServer(owner, member, newcomer);
      const others = [await connect(owner, 0), await connect(member, 1)];
      const newcomerTabs = [await connect(newcomer, 1), await connect(newcomer, 0)];

      const added: Member = { user: newcomer, joinedAt: new Date().toISOString(), status: "online" };
      await h.bus.publish({ type: "member.added", serverId: server.id, member: added, memberCount: 3 });
      for (const tab of others) await heardOnce(tab.heard, "member:add", { serverId: server.id, member: added });
      await settle();
      for (const tab of others) expectHeard(tab.heard, "member:add", [{ serverId: server.id, member: added }]);
      for (const tab of newcomerTabs) expectHeard(tab.heard, "member:add", []);
    });

    test("member.removed reaches the server and every socket of the leaver, which then stop hearing the server", async () => {
      const [owner, member, leaver] = [await newUser(), await newUser(), await newUser()];
      const server = await newServer(owner, member, leaver);
      const stayers = [await connect(owner, 0), await connect(member, 1)];
      const leaverTabs = [await connect(leaver, 0), await connect(leaver, 1)];

      await h.metadata.removeMember(server.id, leaver.id);
      const removed = { serverId: server.id, userId: leaver.id };
      await h.bus.publish({ type: "member.removed", ...removed, memberCount: 2 });
      for (const tab of [...stayers, ...leaverTabs]) await heardOnce(tab.heard, "member:remove", removed);

      const after = messageIn(server, owner);
      await h.bus.publish({ type: "message.created", message: after });
      for (const tab of stayers) await heardOnce(tab.heard, "message:create", after);
      await settle();
      for (const tab of [...stayers, ...leaverTabs]) expectHeard(tab.heard, "member:remove", [removed]);
      for (const tab of leaverTabs) expectHeard(tab.heard, "message:create", []);
    });

    test("channel.created reaches every member's sockets on every node; outsiders hear nothing", async () => {
      const [owner, member, outsider] = [await newUser(), await newUser(), await newUser()];
      const server = await newServer(owner, member);
      await newServer(outsider);
      const tabs = [await connect(owner, 1), await connect(member, 0)];
      const outsiderTab = await connect(outsider, 1);

      const channel: Channel = { id: unique(), serverId: server.id, name: "announcements", type: "text", position: 1 };
      await h.bus.publish({ type: "channel.created", channel });
      for (const tab of tabs) await heardOnce(tab.heard, "channel:create", channel);
      await settle();
      for (const tab of tabs) expectHeard(tab.heard, "channel:create", [channel]);
      expect(outsiderTab.heard).toEqual([]);
    });

    test("publishing never throws, whatever the event", async () => {
      const events: ParleyEvent[] = [
        { type: "presence.changed", userId: "1", status: "offline", serverIds: ["2"], at: 1 },
        { type: "member.removed", serverId: "3", userId: "4", memberCount: 1 },
      ];
      for (const event of events) await expect(h.bus.publish(event)).resolves.toBeUndefined();
    });
  });
}
