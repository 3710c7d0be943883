package testkit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// The helpers below speak the OpenAI chat-completions wire format for the
// fake model servers of the tests that run the LLM engine end to end.

var (
	areaLine  = regexp.MustCompile(`^\d+\. `)
	depthLine = regexp.MustCompile(`^D\d+\. `)
)

// PromptAreas counts the numbered areas the engine's prompt lists under
// "Areas to cover:".
func PromptAreas(prompt string) int { return len(PromptAreaTexts(prompt)) }

// PromptAreaTexts returns the areas the engine's prompt lists under "Areas
// to cover:", in order.
func PromptAreaTexts(prompt string) []string {
	return promptList(prompt, "Areas to cover:\n", areaLine)
}

// PromptDepthTexts returns the depth signals the engine's prompt lists
// under "Depth signals:" (D1, D2 ...), in order.
func PromptDepthTexts(prompt string) []string {
	return promptList(prompt, "Depth signals:\n", depthLine)
}

// promptList returns the items of the list after header, each line opened
// by a match of item (its number), up to the first line that is not one.
func promptList(prompt, header string, item *regexp.Regexp) []string {
	_, rest, ok := strings.Cut(prompt, header)
	if !ok {
		return nil
	}
	var out []string
	for _, line := range strings.Split(rest, "\n") {
		loc := item.FindStringIndex(line)
		if loc == nil {
			break
		}
		out = append(out, line[loc[1]:])
	}
	return out
}

// PromptAnswer returns the answer the engine's prompt holds between
// <answer> and </answer> ("" when there is none).
func PromptAnswer(prompt string) string {
	_, rest, ok := strings.Cut(prompt, "<answer>\n")
	if !ok {
		return ""
	}
	answer, _, _ := strings.Cut(rest, "\n</answer>")
	return answer
}

// PartialReply is a model reply in the engine's reply schema that judges
// each of areas partly covered with confidence, the answer specific
// (specificity 0-100) with every STAR part.
func PartialReply(areas int, confidence float64, specificity int) string {
	statuses := make([]string, areas)
	for i := range statuses {
		statuses[i] = "partial"
	}
	return StatusReply(statuses, confidence, specificity)
}

// StatusReply is PartialReply with a status of its own for each area
// (covered, partial or missing), quoting nothing; it judges no depth
// signals (the question must have none).
func StatusReply(statuses []string, confidence float64, specificity int) string {
	var as []string
	for i, st := range statuses {
		as = append(as, fmt.Sprintf(`{"index":%d,"status":%q,"confidence":%g,"quotes":[]}`, i+1, st, confidence))
	}
	return `{"areas":[` + strings.Join(as, ",") + `],"delivery":{"label":"specific","specificity":` + fmt.Sprint(specificity) + `,` +
		`"star":{"situation":true,"task":true,"action":true,"result":true},"signals":[]},"depth":[],"follow_ups":[]}`
}

// LastMessage is the content of the last message of a chat-completions
// request body; ok is false when the body is not one.
func LastMessage(body []byte) (content string, ok bool) {
	var req struct {
		Messages []struct {
			Content string `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(body, &req); err != nil || len(req.Messages) == 0 {
		return "", false
	}
	return req.Messages[len(req.Messages)-1].Content, true
}

// WriteChatReply answers 200 with content as the assistant's message
// (finish reason stop) and the given token usage.
func WriteChatReply(w http.ResponseWriter, model, content string, promptTokens, completionTokens int) {
	resp := map[string]any{
		"id": "chatcmpl-test", "object": "chat.completion", "created": 1, "model": model,
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content},
		}},
		"usage": map[string]any{"prompt_tokens": promptTokens, "completion_tokens": completionTokens, "total_tokens": promptTokens + completionTokens},
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// WriteChatError answers status with an OpenAI-style error body.
func WriteChatError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "server_error"}})
}
