package dialog

import "testing"

// TestWishesRedirect: only a wish for where the parcel just talked about
// should go is a redirect; a parcel sent before or what the courier does
// in general is not (REVIEW12B #1).
func TestWishesRedirect(t *testing.T) {
	for text, want := range map[string]bool{
		"白天家里没人 能不能改送到我单位":                                                                      true,
		"今天到是吧 我人在公司 能送到公司不":                                                                    true,
		"这两天家里没人 麻烦帮我发到公司去吧":                                                                    true,
		"我今天不在家 可以送到朋友家吗":                                                                       true,
		"i'm not home today, could you send it to my office instead?":                           true,
		"nobody's home, can you deliver it to my work instead?":                                 true,
		"please ship it to my parents' place":                                                   true,
		"上次你们送到家里的那件有点脏 能换吗?":                                                                   false,
		"上回发到公司的快递被前台弄丢了 这次能直接放门卫吗?":                                                            false,
		"会送到家门口吗 还是放驿站?":                                                                        false,
		"你们会送到学校门口吗":                                                                            false,
		"之前寄到宿舍的那双鞋开胶了 能退吗":                                                                     false,
		"do you deliver to my office on saturdays?":                                             false,
		"the last parcel you sent to my office got lost, who do I talk to about that?":          false,
		"the one you shipped to my office last month arrived damaged, can i still return that?": false,
	} {
		if got := wishesRedirect(text); got != want {
			t.Errorf("wishesRedirect(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestNotSeenCueMoneyPlace: "not in my …" says money is not seen only for
// a place money lands (REVIEW12B #2).
func TestNotSeenCueMoneyPlace(t *testing.T) {
	for text, want := range map[string]bool{
		"not on my visa yet":                                                true,
		"isnt on my card though":                                            true,
		"the payment isnt back on my card yet":                              true,
		"hmm it's not in my account yet":                                    true,
		"nothing back in my bank so far":                                    true,
		"still nothing in my paypal balance":                                true,
		"but there's nothing on the statement":                              true,
		"ok. the shirts you have now are not in my size anyway, any in XL?": false,
		"that blue one is not in my cart anymore, can you check?":           false,
		"the new jackets are not in my price range, any on sale?":           false,
		"there's nothing in my colour though, do you restock?":              false,
		"it's not in my area? what about shenzhen":                          false,
	} {
		if got := notSeenCue.MatchString(text); got != want {
			t.Errorf("notSeenCue(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestAnyoneRealAsked: "anyone/someone real" asks for a person at the end
// of a clause, with "there" or a verb of talking to the customer; not
// when a relative clause gives the someone another job (REVIEW12B #3).
func TestAnyoneRealAsked(t *testing.T) {
	for text, want := range map[string]bool{
		"is there anyone real I can talk to":                                     true,
		"hello? is anyone real there":                                            true,
		"is there someone real, this bot keeps looping":                          true,
		"is there anybody human who can answer me properly?":                     true,
		"does anyone real ever read these messages":                              true,
		"is there anyone real who reviews the product photos before they go up?": false,
		"is there someone real who checks the sizes on the size chart?":          false,
		"are the reviews written by anyone real or are they fake?":               false,
		"did somebody real try the jacket on for the photos":                     false,
	} {
		if got := askedForHuman(text) != ""; got != want {
			t.Errorf("askedForHuman(%q) = %q, want asked %v", text, askedForHuman(text), want)
		}
	}
}
