package groundtruth

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// TestAgentRunsAreSessions: through the real exporter with its defaults, the LLM
// calls of each agent run of the agent fixtures share one Helicone session whose
// paths name the run's agents, and the session is named after an agent.
func TestAgentRunsAreSessions(t *testing.T) {
	for _, suite := range []string{"openai-agents", "pydantic-ai", "strands"} {
		t.Run(suite, func(t *testing.T) {
			fx := loadSuite(t, suite)
			agents := agentsByTrace(fx.td)
			require.NotEmpty(t, agents)
			sessionOf := map[string]string{} // trace id -> session id
			runs := 0
			for _, c := range fx.arrived {
				names := agents[c.TraceID]
				if len(names) == 0 {
					continue // a call outside any agent (none in these suites)
				}
				if _, seen := sessionOf[c.TraceID]; !seen {
					runs++
					sessionOf[c.TraceID] = c.SessionID
				}
				assert.NotEmpty(t, c.SessionID, "%s: no session", c.SpanName)
				assert.Equal(t, sessionOf[c.TraceID], c.SessionID, "%s: one session per run", c.SpanName)
				assert.True(t, strings.HasPrefix(c.SessionPath, "/"), "%s: path %q", c.SpanName, c.SessionPath)
				assert.True(t, namesAny(c.SessionPath, names), "%s: path %q names none of the run's agents %v", c.SpanName, c.SessionPath, names)
				assert.Contains(t, names, c.SessionName, "%s: session named after an agent", c.SpanName)
			}
			assert.Equal(t, len(agents), runs, "every agent run has calls in a session")
			for _, c := range fx.arrived {
				t.Logf("%s %s: %s %s %q", c.TraceID[:8], c.SpanName, c.SessionID, c.SessionPath, c.SessionName)
			}
		})
	}
}

// agentsByTrace lists, per trace id, the agent names its spans record.
func agentsByTrace(td ptrace.Traces) map[string][]string {
	out := map[string][]string{}
	for _, rs := range td.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			for _, span := range ss.Spans().All() {
				for _, k := range []string{"gen_ai.agent.name", "agent.name"} {
					if v, ok := span.Attributes().Get(k); ok && v.Str() != "" {
						id := span.TraceID().String()
						out[id] = append(out[id], v.Str())
					}
				}
				if kind, ok := span.Attributes().Get("openinference.span.kind"); ok && kind.Str() == "AGENT" {
					id := span.TraceID().String()
					out[id] = append(out[id], span.Name())
				}
			}
		}
	}
	return out
}

func namesAny(path string, names []string) bool {
	for _, seg := range strings.Split(path, "/") {
		for _, n := range names {
			if seg == n {
				return true
			}
		}
	}
	return false
}
