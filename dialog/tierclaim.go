package dialog

import nlutext "github.com/assistd/assist/nlu/text"

// Customers say what member they are to be treated as one ("我铂金会员啊
// 红色那个音箱到底啥时候到", "as a gold member, where's my charger"): the
// claim is who is asking, not what is asked. The words of the claim do
// not name the topic (membership) of a message that asks something else.

// tierClaim is a customer saying which member tier they are.
var tierClaim = nlutext.MustPattern(`(?i)(我|本人)(是|就是|可是|都|也是|好歹是|可是你们的)?(你们的?)?(铂金|白金|金卡|黄金|银卡|vip|plus)(会员|用户|客户|卡)?(啊|呀|哦|诶|欸|耶|呢|哎)?` +
	`|\b(i'?m|i am|as)\s+(a|an)\s+(platinum|gold|silver|vip)\s+(member|customer)\b`)

// withoutTierClaim is text without a tier claim.
func withoutTierClaim(text string) string {
	return tierClaim.ReplaceAllString(text, " ")
}
