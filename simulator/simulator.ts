// startSimulator(): wires the runtime (state and services), the control
// methods and the HTTP server together and starts listening.
import type { AddressInfo } from "node:net";
import { controlMethods } from "./control/methods";
import { controlHandler } from "./control/routes";
import { createSimServer } from "./http/server";
import { SimRuntime } from "./runtime";
import type { Simulator, SimulatorOptions } from "./types";

export type {
  Simulator,
  SimulatorOptions,
  InstallOptions,
  CreateOrderInput,
  UpdateOrderInput,
  OrderLineInput,
} from "./types";

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const rt = new SimRuntime(options);
  const sim: Simulator = {
    url: "",
    close: async () => {
      // Close keep-alive sockets so close() returns at once, then stop background work.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await rt.shutdown();
    },
    ...controlMethods(rt),
  };
  const server = createSimServer(
    rt,
    controlHandler(sim, () => [...rt.shops.keys()]),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  sim.url = `http://${options.host ?? "127.0.0.1"}:${address.port}`;
  rt.setBaseUrl(sim.url);
  return sim;
}
