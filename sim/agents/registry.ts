// Maps an agent spec's kind to the factory of its XState machine.
import type { AnyStateMachine } from "xstate";
import type { AgentSpec } from "../scenario/types.js";
import { createCleanupOperatorMachine } from "./cleanup-operator.js";
import { createConfigAuthorMachine } from "./config-author.js";
import { createCostMachine } from "./cost.js";
import { createConfigGeneratorMachine } from "./config-generator.js";
import { createDistributorMachine } from "./distributor.js";
import { createEnactorMachine } from "./enactor.js";
import { createHealthCheckerMachine } from "./health-checker.js";
import { createHpaMachine } from "./hpa.js";
import { createMigratorMachine } from "./migrator.js";
import { createPlanPublisherMachine } from "./plan-publisher.js";
import { createStatechartMachine } from "./declarative/build.js";
import type { AgentIO } from "./io.js";
import { createPerformanceMachine } from "./performance.js";
import { createRollbackMachine } from "./rollback.js";
import { createRoutingMachine } from "./routing.js";
import { createStagedDeployerMachine } from "./staged-deployer.js";
import { createVpaMachine } from "./vpa.js";

/** Builds the machine for `spec`, bound to `io`. */
export function createAgentMachine(spec: AgentSpec, io: AgentIO): AnyStateMachine {
  switch (spec.kind) {
    case "performance":
      return createPerformanceMachine(spec, io);
    case "cost":
      return createCostMachine(spec, io);
    case "routing":
      return createRoutingMachine(spec, io);
    case "hpa":
      return createHpaMachine(spec, io);
    case "vpa":
      return createVpaMachine(spec, io);
    case "statechart":
      return createStatechartMachine(spec, io);
    case "planPublisher":
      return createPlanPublisherMachine(spec, io);
    case "enactor":
      return createEnactorMachine(spec, io);
    case "migrator":
      return createMigratorMachine(spec, io);
    case "configGenerator":
      return createConfigGeneratorMachine(spec, io);
    case "distributor":
      return createDistributorMachine(spec, io);
    case "healthChecker":
      return createHealthCheckerMachine(spec, io);
    case "stagedDeployer":
      return createStagedDeployerMachine(spec, io);
    case "rollback":
      return createRollbackMachine(spec, io);
    case "cleanupOperator":
      return createCleanupOperatorMachine(spec, io);
    case "configAuthor":
      return createConfigAuthorMachine(spec, io);
  }
}

/** Agent kinds the engine can run. */
export const AGENT_KINDS = ["performance", "cost", "routing", "hpa", "vpa", "statechart", "planPublisher", "enactor", "migrator", "configGenerator", "distributor", "healthChecker", "stagedDeployer", "rollback", "cleanupOperator", "configAuthor"] as const;
