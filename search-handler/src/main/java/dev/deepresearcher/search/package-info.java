/**
 * The search handler: a stateless, pooled HTTP service that rollouts call for their tools.
 *
 * <p>It owns {@code POST /search} (batched web search over Serper, Brave, SearXNG or a local Lucene
 * index, behind a persistent cache), {@code POST /browse} (delegating to the browse agent), health
 * and metrics endpoints, and the client that rollout workers use to reach one or more handler
 * replicas.
 */
package dev.deepresearcher.search;
