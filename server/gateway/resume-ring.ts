// What a gateway node delivered lately, in the order it delivered it: the packet log that
// resumes a connection on any node (contract v2 "Resume"; cluster-resume.ts fills it). Every
// node hears every broadcast of the deployment in one order (the resume log's), so an offset
// seen on one node is found in every other node's ring, and "everything after it for these
// rooms" is the same there. A node's own coalesced broadcasts (presence, channel activity) are
// delivered by each node for its own connections: they are kept too, after the last logged
// packet, with an offset of their own (`<logged offset>.<node><n>`). On the node that sent one it is
// found as it is; on another node the connection resumes after its logged part, and that
// node's own coalesced broadcasts since then are replayed (state of the latest kind: a repeat
// changes nothing on the client).
export interface RingEntry {
  id: string;
  rooms: ReadonlySet<string>;
  except: ReadonlySet<string>;
  /** The event's arguments, its offset last (as the connections received it). */
  data: unknown[];
  at: number;
}

const LOCAL_SEPARATOR = ".";

export class ResumeRing {
  private entries: RingEntry[] = [];
  private head = 0;
  private lastLogged = "0";
  private localCount = 0;

  constructor(
    /** How long an entry is kept: the resume window and a margin. */
    private readonly keepMs: number,
    private readonly now: () => number = Date.now,
    /** Tells this node's own offsets from another node's. */
    private readonly node: string = Math.random().toString(36).slice(2, 8),
  ) {}

  /** Records a packet of the deployment's log, delivered now under offset `id`. */
  logged(id: string, rooms: ReadonlySet<string>, except: ReadonlySet<string>, data: unknown[]): void {
    this.lastLogged = id;
    this.localCount = 0;
    this.push({ id, rooms, except, data, at: this.now() });
  }

  /** Records a packet only this node delivers; returns its offset (to be sent with it). */
  local(rooms: ReadonlySet<string>, except: ReadonlySet<string>, data: unknown[]): string {
    const id = `${this.lastLogged}${LOCAL_SEPARATOR}${this.node}${++this.localCount}`;
    this.push({ id, rooms, except, data, at: this.now() });
    return id;
  }

  /** Whether a connection that saw `offset` last can resume here. */
  has(offset: string): boolean {
    return this.positionOf(offset) !== -1;
  }

  /**
   * The packets after `offset` that a connection in `rooms` would have received, oldest first;
   * undefined when `offset` is not (or no longer) here.
   */
  missedSince(offset: string, rooms: ReadonlySet<string>): unknown[][] | undefined {
    const position = this.positionOf(offset);
    if (position === -1) return undefined;
    const missed: unknown[][] = [];
    for (let i = position + 1; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (reaches(entry, rooms)) missed.push(entry.data);
    }
    return missed;
  }

  get size(): number {
    this.trim();
    return this.entries.length - this.head;
  }

  /** The offset itself, else (another node's own broadcast) the logged packet it came after. */
  private positionOf(offset: string): number {
    this.trim();
    const exact = this.find(offset);
    if (exact !== -1) return exact;
    const separator = offset.indexOf(LOCAL_SEPARATOR);
    return separator === -1 ? -1 : this.find(offset.slice(0, separator));
  }

  /** Newest first: a resuming connection's offset is nearly always recent. */
  private find(id: string): number {
    for (let i = this.entries.length - 1; i >= this.head; i--) if (this.entries[i]!.id === id) return i;
    return -1;
  }

  private push(entry: RingEntry): void {
    this.entries.push(entry);
    this.trim();
  }

  private trim(): void {
    const oldest = this.now() - this.keepMs;
    while (this.head < this.entries.length && this.entries[this.head]!.at < oldest) this.head++;
    // Drop the expired prefix now and then, not on every packet.
    if (this.head > 1_024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}

function reaches(entry: RingEntry, rooms: ReadonlySet<string>): boolean {
  let included = entry.rooms.size === 0;
  if (!included) for (const room of entry.rooms) if (rooms.has(room)) { included = true; break; }
  if (!included) return false;
  for (const room of entry.except) if (rooms.has(room)) return false;
  return true;
}
