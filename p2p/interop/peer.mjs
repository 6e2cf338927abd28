// A js-libp2p peer for mnode's interop tests (InteropTest in p2p/src/test, CliInteropTest in cli/src/test).
//
//   node peer.mjs listen           prints one JSON line {"listening": "<multiaddr>/p2p/<id>"}, then one
//                                  line {"identified": {...}} for each peer that connects and that it
//                                  identifies; serves identify, ping and /mnode/echo/1.0.0 (streaming)
//                                  until stdin closes
//   node peer.mjs mdns PORT        listens like `listen`, and runs @libp2p/mdns on 224.0.0.251:PORT on
//                                  the loopback interface only, querying every 500 ms; prints one line
//                                  {"discovered": {"peerId", "multiaddrs"}} for each peer it discovers
//                                  (MdnsInteropTest), until stdin closes
//   node peer.mjs dial MULTIADDR   dials, pings, identifies, then echoes a short text, 1 MiB on one
//                                  stream and 64 concurrent streams of 64 KiB; prints one JSON line
//                                  {"peerId", "rttMs", "agentVersion", "protocolVersion", "protocols",
//                                  "listenAddrs", "observedAddr", "echo", "echo1MiB", "echo64x64KiB"}
//                                  and keeps the connection (and serves echo) until stdin closes
//
// Exit code 0 on success; on failure a JSON line {"error": "..."} and exit code 1.

// Node 20 lacks Promise.withResolvers, which some libp2p dependencies use.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}

const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { multiaddr } = await import('@multiformats/multiaddr')
const { randomBytes } = await import('node:crypto')

const ECHO = '/mnode/echo/1.0.0'
// js-libp2p allows 32 inbound and 64 outbound streams per protocol by default; the tests use 64.
const STREAM_LIMITS = { maxInboundStreams: 256, maxOutboundStreams: 256 }

function out (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

async function createNode (listen, peerDiscovery = []) {
  const node = await createLibp2p({
    addresses: { listen: listen ? ['/ip4/127.0.0.1/tcp/0'] : [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    services: { identify: identify(), ping: ping() }
  })
  // Streaming echo: every chunk goes back as it arrives; the write side closes after the read side.
  await node.handle(ECHO, async ({ stream }) => {
    await stream.sink(stream.source)
  }, STREAM_LIMITS)
  return node
}

function describe (info) {
  return {
    peerId: info.peerId.toString(),
    agentVersion: info.agentVersion,
    protocolVersion: info.protocolVersion,
    protocols: info.protocols,
    listenAddrs: info.listenAddrs.map(a => a.toString()),
    observedAddr: info.observedAddr == null ? null : info.observedAddr.toString()
  }
}

async function untilStdinCloses () {
  process.stdin.resume()
  await new Promise(resolve => process.stdin.on('end', resolve).on('close', resolve))
}

async function listen () {
  const node = await createNode(true)
  node.addEventListener('peer:identify', evt => out({ identified: describe(evt.detail) }))
  const addr = node.getMultiaddrs().find(a => a.toString().startsWith('/ip4/127.0.0.1/tcp/'))
  out({ listening: addr.toString() })
  await untilStdinCloses()
  await node.stop()
}

async function mdnsPeer (port) {
  // Keep mDNS on this machine: multicast-dns joins the group on, and sends through, the interfaces
  // that os.networkInterfaces() lists, so this process sees the loopback interface only.
  const os = (await import('node:os')).default
  const all = os.networkInterfaces()
  os.networkInterfaces = () => Object.fromEntries(
    Object.entries(all).filter(([, addrs]) => addrs.every(a => a.internal)))
  const { mdns } = await import('@libp2p/mdns')
  const node = await createNode(true, [mdns({ port, interval: 500 })])
  node.addEventListener('peer:discovery', evt => out({
    discovered: {
      peerId: evt.detail.id.toString(),
      multiaddrs: evt.detail.multiaddrs.map(a => a.toString())
    }
  }))
  const addr = node.getMultiaddrs().find(a => a.toString().startsWith('/ip4/127.0.0.1/tcp/'))
  out({ listening: addr.toString() })
  await untilStdinCloses()
  await node.stop()
}

/** Sends bytes on a new echo stream while reading; resolves to whether the same bytes came back. */
async function echo (connection, bytes) {
  const stream = await connection.newStream(ECHO, STREAM_LIMITS)
  const sending = stream.sink((async function * () {
    for (let at = 0; at < bytes.length; at += 65536) {
      yield bytes.subarray(at, Math.min(at + 65536, bytes.length))
    }
  })())
  const chunks = []
  for await (const chunk of stream.source) {
    chunks.push(Buffer.from(chunk.subarray()))
  }
  await sending
  return Buffer.concat(chunks)
}

async function dial (address) {
  const node = await createNode(false)
  try {
    const ma = multiaddr(address)
    const connection = await node.dial(ma)
    const rttMs = await node.services.ping.ping(ma)
    const info = await node.services.identify.identify(connection)
    const text = Buffer.from('js-libp2p says hello to mnode', 'utf8')
    const textBack = await echo(connection, text)
    const big = randomBytes(1 << 20)
    const bigOk = (await echo(connection, big)).equals(big)
    const many = Array.from({ length: 64 }, () => randomBytes(64 * 1024))
    const backs = await Promise.all(many.map(b => echo(connection, b)))
    const manyOk = backs.every((b, i) => b.equals(many[i]))
    out({
      ...describe(info),
      rttMs,
      echo: textBack.toString('utf8'),
      echo1MiB: bigOk,
      echo64x64KiB: manyOk
    })
    await untilStdinCloses()
  } finally {
    await node.stop()
  }
}

try {
  const [mode, ...args] = process.argv.slice(2)
  if (mode === 'listen' && args.length === 0) {
    await listen()
  } else if (mode === 'mdns' && args.length === 1 && /^[0-9]+$/.test(args[0])) {
    await mdnsPeer(Number(args[0]))
  } else if (mode === 'dial' && args.length === 1) {
    await dial(args[0])
  } else {
    throw new Error('usage: node peer.mjs listen | node peer.mjs mdns PORT | node peer.mjs dial MULTIADDR')
  }
  process.exit(0)
} catch (e) {
  out({ error: String(e && e.stack ? e.stack : e).split('\n').slice(0, 3).join(' | ') })
  process.exit(1)
}
