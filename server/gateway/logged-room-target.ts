// An API node's room target when gateways resume across nodes (cluster-resume.ts): its events
// go through the resume log, so they are numbered and kept like the gateways' own, and room
// joins and leaves keep the Redis emitter's way. Both are sent on the same Redis connection,
// so every node sees them in the order they were made.
import type { Logger } from "../../lib/logger";
import type { RoomOperator, RoomTarget } from "./room-event-bus";

type Publish = (data: unknown[], rooms: Iterable<string>, except: Iterable<string>) => Promise<string>;

export function loggedRoomTarget(emitter: RoomTarget, publish: Publish, log: Logger): RoomTarget {
  const operator = (rooms: string[], except: string[]): RoomOperator => ({
    except: (room) => operator(rooms, [...except, ...[room].flat()]),
    emit(event, payload) {
      // Redis is away: nobody hears it now; the gateways are told to resync when it is back (fanout-gaps.ts).
      publish([event, payload], rooms, except).catch((err: Error) => log.debug({ err: err.message, event }, "resume log publish failed"));
    },
    socketsJoin: (room) => emitter.to(rooms).except(except).socketsJoin(room),
    socketsLeave: (room) => emitter.to(rooms).except(except).socketsLeave(room),
  });
  const to = (room: string | string[]) => operator([room].flat(), []);
  return { to, in: to };
}
