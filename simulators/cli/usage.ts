/** Help text of the `edgehive` command and its subcommands. */

export const USAGE: Record<string, string> = {
  main: `edgehive — machine learning on fleets of field devices

Usage: edgehive <command> [options]

Commands:
  demo     a hub and a simulated 50-device fleet on embedded defaults (npm start)
  hub      run the hub: embedded MQTT broker, ingest, store, HTTP API
  agent    run one edge agent from its config file
  sim      run a simulated fleet against a running hub
  help     this text; "edgehive help <command>" for one command

Every command takes --help.`,

  demo: `Usage: edgehive demo [options]

Starts a hub (embedded broker, SQLite store) and a simulated fleet in this process, prints
progress every 2 s and stops cleanly on Ctrl-C. The data directory is wiped at each start, so
every demo begins from a fresh hub and fresh devices (and prints a new admin token).

Options:
  --devices N        fleet size (default 50)
  --scenario FILE    scenario JSON (default: no faults); broker and hub restarts are allowed here
  --speed X          fleet seconds per wall second (default 60)
  --period-ms MS     fleet milliseconds between readings of a device (default 1000)
  --data-dir DIR     where the hub and devices keep their files (default ./.edgehive/demo)
  --port N           HTTP API and dashboard port (default 8080)
  --mqtt-port N      embedded broker port (default 0: any free port)
  --process          run each agent as its own child process
  --log-level L      log level of hub and agents (default warn)`,

  sim: `Usage: edgehive sim --api URL --token T [options]

Provisions N virtual devices on a running hub (POST /api/v1/devices) and runs them, each a real
agent with its own identity, SQLite buffer and MQTT connection, fed by sensor models.

Options:
  --hub URL          broker URL for the agents (default: the one the hub hands out)
  --api URL          the hub's HTTP API (default http://127.0.0.1:8080)
  --token T          admin token (default $EDGEHIVE_TOKEN)
  --devices N        fleet size (default: the scenario's, else 10)
  --scenario FILE    scenario JSON; broker/hub restarts are refused (this simulator does not own the hub)
  --speed X          fleet seconds per wall second (default: the scenario's, else 60)
  --period-ms MS     fleet milliseconds between readings (default: the scenario's, else 1000)
  --data-dir DIR     device identities and buffers (default ./.edgehive/sim; reused, so the
                     same identities are provisioned again)
  --process          run each agent as its own child process (crashes are real SIGKILLs)
  --log-level L      agent log level (default warn)`,

  agent: `Usage: edgehive agent --config agent.json

Runs one edge agent. The config comes from provisioning (POST /api/v1/devices) plus dataDir and
sensors; sensor kinds: jsonl, system, and the simulator's sim.`,

  hub: `Usage: edgehive hub [--config hub.json] [options]

Runs the hub. See "edgehive hub --help" for its options.`,
};

export function usage(command = 'main'): string {
  return USAGE[command] ?? USAGE.main!;
}
