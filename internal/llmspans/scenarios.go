package llmspans

import "time"

const systemPrompt = "You are a concise support assistant for Acme Cloud. Answer in at most three sentences."

// Demo is the set of requests `make demo` sends: a support chat over two
// turns with a database lookup (OpenLLMetry style, OpenAI), a summary by
// Anthropic, and an answer recorded in the newer GenAI semantic conventions.
// Every request has one or more LLM calls and at least one span that is not.
func Demo() []Request {
	q1 := Message{Role: "user", Content: "My deployment to eu-west-1 has been stuck in 'pending' for 20 minutes. What can I do?"}
	a1 := Message{Role: "assistant", Content: "Pending deployments in eu-west-1 usually wait for capacity. Cancel it with `acme deploy cancel`, then retry in eu-west-2, or wait for the capacity alert on the status page to clear."}
	q2 := Message{Role: "user", Content: "How do I retry in eu-west-2 without changing my config file?"}
	a2 := Message{Role: "assistant", Content: "Run `acme deploy --region eu-west-2`; the flag overrides the region in your config for that one deployment."}
	doc := Message{Role: "user", Content: "Summarize this incident for the status page: between 09:12 and 09:47 UTC, deployments in eu-west-1 stayed pending because the scheduler ran out of capacity after a failed node pool upgrade. Capacity was restored by rolling back the upgrade."}
	sum := Message{Role: "assistant", Content: "From 09:12 to 09:47 UTC, deployments in eu-west-1 were delayed by a capacity shortage after a node pool upgrade; rolling back the upgrade resolved it."}
	q3 := Message{Role: "user", Content: "Which regions support GPU instances?"}
	a3 := Message{Role: "assistant", Content: "GPU instances are available in us-east-1, us-west-2 and eu-west-1."}

	profile := &Query{System: "postgresql", Namespace: "support", Operation: "SELECT", Collection: "customers",
		Text: "SELECT id, plan, region FROM customers WHERE id = $1", Latency: 4 * time.Millisecond}
	history := &Query{System: "postgresql", Namespace: "support", Operation: "INSERT", Collection: "messages",
		Text: "INSERT INTO messages (session_id, role, content) VALUES ($1, $2, $3)", Latency: 3 * time.Millisecond}
	props := map[string]string{"App": "support-bot", "Environment": "demo"}

	sys := Message{Role: "system", Content: systemPrompt}
	return []Request{
		{Route: "/v1/support/chat", Steps: []Step{
			{Query: profile},
			{Chat: &Chat{
				Convention: OpenLLMetry, Provider: "openai",
				RequestModel: "gpt-4o-mini", ResponseModel: "gpt-4o-mini-2024-07-18", ResponseID: "chatcmpl-demo0001",
				Temperature: 0.2, MaxTokens: 256,
				Messages: []Message{sys, q1}, Output: a1, FinishReason: "stop",
				InputTokens: Words(sys, q1), OutputTokens: Words(a1),
				UserID: "user-4711", SessionID: "session-eu-west-1-pending", Properties: props,
				Latency: 1240 * time.Millisecond,
			}},
			{Query: history},
		}},
		{Route: "/v1/support/chat", Steps: []Step{
			{Query: profile},
			{Chat: &Chat{
				Convention: OpenLLMetry, Provider: "openai",
				RequestModel: "gpt-4o-mini", ResponseModel: "gpt-4o-mini-2024-07-18", ResponseID: "chatcmpl-demo0002",
				Temperature: 0.2, MaxTokens: 256,
				Messages: []Message{sys, q1, a1, q2}, Output: a2, FinishReason: "stop",
				InputTokens: Words(sys, q1, a1, q2), OutputTokens: Words(a2),
				UserID: "user-4711", SessionID: "session-eu-west-1-pending", Properties: props,
				Latency: 860 * time.Millisecond,
			}},
			{Query: history},
		}},
		{Route: "/v1/incidents/summary", Steps: []Step{
			{Chat: &Chat{
				Convention: OpenLLMetry, Provider: "anthropic",
				RequestModel: "claude-3-5-haiku-latest", ResponseModel: "claude-3-5-haiku-20241022", ResponseID: "msg_demo0003",
				MaxTokens: 512,
				Messages:  []Message{doc}, Output: sum, FinishReason: "end_turn",
				InputTokens: Words(doc), OutputTokens: Words(sum),
				UserID: "oncall-bot", Properties: map[string]string{"App": "status-page", "Environment": "demo"},
				Latency: 1630 * time.Millisecond,
			}},
		}},
		{Route: "/v1/support/chat", Steps: []Step{
			{Query: profile},
			{Chat: &Chat{
				Convention: GenAISemconv, Provider: "openai",
				RequestModel: "gpt-4.1-mini", ResponseModel: "gpt-4.1-mini-2025-04-14", ResponseID: "chatcmpl-demo0004",
				Temperature: 0.3, MaxTokens: 256,
				Messages: []Message{sys, q3}, Output: a3, FinishReason: "stop",
				InputTokens: Words(sys, q3), OutputTokens: Words(a3),
				UserID: "user-0815", SessionID: "session-gpu-regions", Properties: props,
				Latency: 710 * time.Millisecond,
			}},
		}},
	}
}
