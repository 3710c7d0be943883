package testkit

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
)

func TestPromptAreas(t *testing.T) {
	prompt := "Question: why?\nAreas to cover:\n1. Empathy\n2. Ownership\n3. Result\n\nAnswer:\n4. not an area"
	if n := PromptAreas(prompt); n != 3 {
		t.Errorf("PromptAreas = %d, want 3", n)
	}
	if n := PromptAreas("no areas here"); n != 0 {
		t.Errorf("PromptAreas without a list = %d", n)
	}
}

func TestChatReply(t *testing.T) {
	content := PartialReply(2, 0.5, 80)
	var reply struct {
		Areas []struct {
			Index  int
			Status string
		}
		Delivery struct{ Specificity int }
	}
	if err := json.Unmarshal([]byte(content), &reply); err != nil || len(reply.Areas) != 2 || reply.Areas[1].Index != 2 || reply.Delivery.Specificity != 80 {
		t.Fatalf("PartialReply = %s (%v)", content, err)
	}
	rec := httptest.NewRecorder()
	WriteChatReply(rec, "m", content, 100, 40)
	var resp struct {
		Choices []struct{ Message struct{ Content string } }
		Usage   struct {
			TotalTokens int `json:"total_tokens"`
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Choices) != 1 || resp.Choices[0].Message.Content != content || resp.Usage.TotalTokens != 140 {
		t.Errorf("WriteChatReply wrote %s (%v)", rec.Body, err)
	}
	if msg, ok := LastMessage([]byte(`{"messages":[{"content":"sys"},{"content":"user"}]}`)); !ok || msg != "user" {
		t.Errorf("LastMessage = %q, %v", msg, ok)
	}
	if _, ok := LastMessage([]byte(`{}`)); ok {
		t.Error("LastMessage of a body without messages: ok")
	}
	rec = httptest.NewRecorder()
	WriteChatError(rec, 503, "overloaded")
	if rec.Code != 503 {
		t.Errorf("WriteChatError status %d", rec.Code)
	}
}
