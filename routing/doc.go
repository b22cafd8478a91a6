// Package routing assigns conversations that left the bot to agents by
// skills, load and priority, and keeps the queues they wait in.
//
// Until it lands, a conversation handed off by the dialog waits with owner
// assist.OwnerQueue and staff can list and answer it through the API.
package routing
