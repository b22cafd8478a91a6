package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog"
)

// ConversationStateResponse is what the bot remembers of a conversation,
// for agents: the conversation (who owns it, why) and its dialog state
// (the flow and its slots, recent intents, last entities, fallbacks, the
// sentiment trend, the escalation with its evidence).
type ConversationStateResponse struct {
	Conversation ConversationJSON `json:"conversation"`
	State        *dialog.State    `json:"state"`
}

// conversationState serves GET /v1/conversations/:id/state. Staff only:
// the conversation's customer token gets 403, another conversation's 404.
func (s *Server) conversationState(c *gin.Context) {
	s.withConversation(c, bearer(c), func(p assist.Principal) {
		ctx := c.Request.Context()
		st, err := s.Conversations.DialogState(ctx, p, c.Param("id"))
		if err != nil {
			s.writeError(c, err)
			return
		}
		conv, err := s.Conversations.Get(ctx, p, c.Param("id"))
		if err != nil {
			s.writeError(c, err)
			return
		}
		c.JSON(http.StatusOK, ConversationStateResponse{Conversation: toConversation(conv), State: st})
	})
}
