/** The real Agent, loaded on demand so that modules which only plan or provision stay light. */
import type { AgentFactory } from './runners.ts';

export async function loadAgentFactory(): Promise<AgentFactory> {
  const { Agent } = await import('../../edge-agent/agent.ts');
  return (config, deps) => new Agent(config, deps);
}
