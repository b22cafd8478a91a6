package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coder/websocket"
	"github.com/gin-gonic/gin"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
)

const wsWriteTimeout = 10 * time.Second

// wsMaxRefused is how many frames in a row the rate limits may refuse
// (each answered with a rate_limited error) before the socket is closed
// with 1008: a flood is not answered frame by frame.
const wsMaxRefused = 20

// websocket serves a conversation's live events: first a "status" frame,
// then every stored message after last_id (the id of the message with the
// highest seq the client has seen), then live messages, typing and status
// changes. The client may send {"type":"typing"} and {"type":"message",
// "text", "idempotency_key"} frames. A client that falls behind is closed
// with 1013 (try again later) and catches up by reconnecting with last_id;
// at shutdown every socket gets a 1001 (going away) close frame.
//
// Browsers cannot set headers on a WebSocket, so the token may also come as
// the "token" query parameter (never logged).
func (s *Server) websocket(c *gin.Context) {
	tok := bearer(c)
	if tok == "" {
		tok = c.Query("token")
	}
	p, err := s.conversationPrincipal(c, tok)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	conv, err := s.Conversations.Get(ctx, p, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if !strings.EqualFold(c.GetHeader("Upgrade"), "websocket") {
		s.writeError(c, assist.Errorf(assist.EINVALID, "this route needs a WebSocket upgrade (Upgrade: websocket)"))
		return
	}
	if !s.trackSocket() {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "shutting down"))
		return
	}
	defer s.sockets.Done()
	sessionEnded, stopWatch, err := s.watchSession(c, p, tok)
	if err != nil {
		s.writeError(c, err)
		return
	}
	defer stopWatch()
	lastSeq, err := s.Conversations.SeqOf(ctx, p, conv.ID, c.Query("last_id"))
	if assist.ErrorCode(err) == assist.EINVALID {
		err = assist.Errorf(assist.EINVALID, "last_id: %s", assist.ErrorMessage(err))
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	// Subscribe before reading the backlog so nothing falls in between.
	sub := s.Hub.Subscribe(conv.TenantID, conv.ID)
	defer sub.Close()

	conn, err := websocket.Accept(c.Writer, c.Request, &websocket.AcceptOptions{OriginPatterns: s.cfg.AllowedOrigins})
	if err != nil {
		// Accept has written the HTTP error.
		s.logger().DebugContext(ctx, "websocket accept failed", "request_id", requestID(c), "err", err)
		return
	}
	defer conn.CloseNow()
	conn.SetReadLimit(s.cfg.MaxBodyBytes)

	write := func(f WSFrame) error {
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		wctx, cancel := context.WithTimeout(ctx, wsWriteTimeout)
		defer cancel()
		return conn.Write(wctx, websocket.MessageText, b)
	}

	if err := write(WSFrame{Type: conversation.EventStatus, ConversationID: conv.ID, Owner: string(conv.Owner), Reason: conv.Reason}); err != nil {
		return
	}
	// sendAfter sends every stored message after the last one sent, in seq
	// order, which is commit order: first the backlog after last_id, then
	// whatever each message event announces.
	sendAfter := func() error {
		for {
			ms, err := s.Conversations.MessagesAfterSeq(ctx, p, conv.ID, lastSeq, conversation.MaxPageSize)
			if err != nil {
				return err
			}
			for _, m := range ms {
				mj := toMessage(m)
				if err := write(WSFrame{Type: conversation.EventMessage, ConversationID: conv.ID, Message: &mj}); err != nil {
					return err
				}
				lastSeq = m.Seq
			}
			if len(ms) < conversation.MaxPageSize {
				return nil
			}
		}
	}
	if err := sendAfter(); err != nil {
		conn.Close(websocket.StatusInternalError, "could not read messages")
		return
	}

	keys := s.clientKeys(c)
	replies := make(chan WSFrame, 16) // acks and errors for the client's frames
	readCtx, stopReading := context.WithCancel(ctx)
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		s.readFrames(readCtx, conn, frameAuth{p, tok, sessionEnded}, conv.ID, keys, replies)
	}()
	// The reader may be in the middle of posting a message: let it finish
	// before the handler (and with it the server's shutdown) is done.
	defer func() {
		stopReading()
		conn.CloseNow()
		<-readDone
	}()

	ping := time.NewTicker(s.cfg.PingInterval)
	defer ping.Stop()
	for {
		select {
		case e, ok := <-sub.C:
			if !ok {
				conn.Close(websocket.StatusTryAgainLater, "fell behind; reconnect with last_id")
				return
			}
			if e.Type == conversation.EventMessage {
				// Events may arrive out of commit order: treat one as a
				// wake-up and send what the store has, in order.
				if e.Message != nil && e.Message.Seq <= lastSeq {
					continue
				}
				if err := sendAfter(); err != nil {
					return
				}
				continue
			}
			if err := write(toFrame(e)); err != nil {
				return
			}
		case f := <-replies:
			if f.Type == "ack" {
				// The message itself goes first, then its ack.
				if err := sendAfter(); err != nil {
					return
				}
			}
			if err := write(f); err != nil {
				return
			}
		case <-ping.C:
			pctx, cancel := context.WithTimeout(ctx, wsWriteTimeout)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return
			}
		case <-s.closing:
			conn.Close(websocket.StatusGoingAway, "server shutting down")
			return
		case <-sessionEnded:
			conn.Close(websocket.StatusPolicyViolation, sessionEndedReason)
			return
		case <-readDone:
			return
		}
	}
}

// decodeFrame reads a client's frame: a JSON text frame, else not valid.
func decodeFrame(typ websocket.MessageType, data []byte) (WSClientFrame, bool) {
	var f WSClientFrame
	if typ != websocket.MessageText || json.Unmarshal(data, &f) != nil {
		return WSClientFrame{}, false
	}
	return f, true
}

// sessionEndedReason is the close reason of a staff socket whose session
// ended (close status 1008, policy violation).
const sessionEndedReason = "session ended; log in again"

// frameAuth is who opened a socket: the principal, its token, and for
// staff the channel closed when their session ends.
type frameAuth struct {
	p     assist.Principal
	tok   string
	ended <-chan struct{}
}

// readFrames handles what the client sends until the connection ends.
// Every frame counts against the same rate limits as a request. A message
// frame is answered with an "ack" frame carrying the stored message (so the
// client knows it is durable), or an "error" frame naming its idempotency
// key. A staff member's frames are taken only while their session lasts:
// each is checked against it, and the first after it ended closes the
// socket unheard.
func (s *Server) readFrames(ctx context.Context, conn *websocket.Conn, a frameAuth, conversationID string, keys clientKeys, replies chan<- WSFrame) {
	p := a.p
	refused := 0 // frames refused by the rate limits in a row
	write := func(f WSFrame) error {
		select {
		case replies <- f:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for {
		typ, data, err := conn.Read(ctx)
		if err != nil {
			var ce websocket.CloseError
			if !errors.As(err, &ce) && websocket.CloseStatus(err) == -1 && ctx.Err() == nil {
				s.logger().DebugContext(ctx, "websocket read ended", "conversation_id", conversationID, "err", err)
			}
			return
		}
		if a.p.UserID != "" && (ended(a.ended) || !s.stillStaff(ctx, a.p, a.tok)) {
			conn.Close(websocket.StatusPolicyViolation, sessionEndedReason)
			return
		}
		f, valid := decodeFrame(typ, data)
		// Every frame, well-formed or not, counts against the limits; a
		// client that keeps sending past them is closed rather than
		// answered frame by frame.
		if ok, retry := s.allow(keys, time.Now()); !ok {
			if refused++; refused > wsMaxRefused {
				conn.Close(websocket.StatusPolicyViolation, "too many frames")
				return
			}
			secs := max(1, int((retry+time.Second-1)/time.Second))
			_ = write(WSFrame{Type: "error", IdempotencyKey: f.IdempotencyKey,
				Error: &ErrorDetail{Code: assist.ERATELIMITED, Message: fmt.Sprintf("too many frames; this one was dropped, retry in %d s", secs)}})
			continue
		}
		refused = 0
		if !valid {
			_ = write(WSFrame{Type: "error", Error: &ErrorDetail{Code: assist.EINVALID, Message: "send JSON text frames: {\"type\":\"message\",\"text\":...} or {\"type\":\"typing\"}"}})
			continue
		}
		switch f.Type {
		case "typing":
			err = s.Conversations.Typing(ctx, p, conversationID)
		case "message":
			var res *conversation.PostResult
			res, err = s.Conversations.Post(ctx, p, conversationID, conversation.NewMessage{Text: f.Text, IdempotencyKey: f.IdempotencyKey})
			if err == nil {
				m := toMessage(res.Message)
				err = write(WSFrame{Type: "ack", ConversationID: conversationID, Message: &m, IdempotencyKey: f.IdempotencyKey, Created: res.Created})
				if err != nil {
					return
				}
			}
		default:
			err = assist.Errorf(assist.EINVALID, "unknown frame type %q", f.Type)
		}
		if err != nil {
			code, msg := assist.ErrorCode(err), assist.ErrorMessage(err)
			if code == assist.EINTERNAL {
				s.logger().ErrorContext(ctx, "websocket frame failed", "conversation_id", conversationID, "err", err)
				msg = "internal error"
			}
			_ = write(WSFrame{Type: "error", IdempotencyKey: f.IdempotencyKey, Error: &ErrorDetail{Code: code, Message: msg}})
		}
	}
}
