#!/usr/bin/env python3
"""Generates data/sentiment/{train,valid,test}.{zh,en}.jsonl: customer-service
messages of an online shop written for Assist (hand-written sentences x slot
fillers x prefixes/suffixes x typo noise). Deterministic: the same script gives
the same files. Usage: python3 scripts/gen-sentiment-data.py data/sentiment"""
import json
import random
import re
import sys

R = random.Random(20261121)

# ---------------------------------------------------------------- slots
ZH = dict(
    p=["耳机", "手机壳", "连衣裙", "运动鞋", "充电宝", "空气炸锅", "口红", "面膜", "羽绒服", "保温杯", "键盘", "台灯",
       "猫粮", "洗发水", "床单", "牛仔裤", "蓝牙音箱", "电动牙刷", "行李箱", "咖啡机", "数据线", "手表", "书包", "卫衣"],
    o=["DD202611030001", "DD202611050002", "DD202610150004", "DD202611060007", "2026110812345", "DD202611070010", "订单尾号0012", "DD202611080013"],
    c=["顺丰", "中通", "圆通", "京东快递", "韵达", "申通", "EMS", "极兔"],
    n=["两", "三", "四", "五", "七", "十", "半个月", "好几"],
    t=["明天", "今天", "周末", "下周一", "这周五", "后天"],
    a=["上海", "北京", "杭州", "深圳", "成都", "武汉"],
)
EN = dict(
    p=["headphones", "phone case", "dress", "sneakers", "power bank", "air fryer", "lipstick", "face mask", "down jacket",
       "water bottle", "keyboard", "desk lamp", "cat food", "shampoo", "bed sheets", "jeans", "bluetooth speaker",
       "electric toothbrush", "suitcase", "coffee machine", "charging cable", "watch", "backpack", "hoodie"],
    o=["DD202611030001", "DD202611050002", "DD202610150004", "#DD202611060007", "2026110812345", "DD202611070010", "order 0012", "DD202611080013"],
    c=["UPS", "FedEx", "DHL", "USPS", "SF Express", "the courier"],
    n=["two", "three", "4", "5", "seven", "ten", "several", "2"],
    t=["tomorrow", "today", "this weekend", "next monday", "friday", "by the 20th"],
    a=["Shanghai", "Boston", "London", "my office", "my new apartment", "Toronto"],
)


def fill(tpl, slots):
    def rep(m):
        return R.choice(slots[m.group(1)])
    return re.sub(r"\{(\w)\}", rep, tpl)


# ---------------------------------------------------------------- Chinese
ZH_NEUTRAL = """
我的订单什么时候发货
{o}什么时候发货呀
请问{o}发货了吗
我的快递到哪了
帮我查一下物流
{c}的单号查不到信息，麻烦看下
退款到账了吗
退款一般几天到账
怎么申请退货
{p}可以七天无理由退吗
我想改一下收货地址
地址填错了，能改成{a}吗
订单能取消吗
帮我取消{o}
{p}有没有现货
{p}还有货吗
{p}有黑色的吗
这个{p}保修多久
{p}是正品吗
能开发票吗
发票怎么开
可以用优惠券吗
满减活动还有吗
什么时候发{c}
可以指定发{c}吗
我的订单显示已签收，但是我没收到
物流显示已签收但家里没有，帮忙查一下
快递{n}天没更新了，帮我问问
{p}收到了，少了一个配件，怎么处理
收到的{p}颜色发错了，怎么换
{p}尺码不合适，能换大一号吗
{p}有点小问题，屏幕有个划痕，怎么售后
退货地址是哪里
退货运费谁出
退款是原路返回吗
我想查一下退款进度
会员怎么升级
积分怎么用
怎么联系人工客服
转人工
在吗
你好
有人吗
我要退货
我要退款
{p}怎么用
{p}怎么充电
{p}适合几岁的孩子
{t}能送到吗
{t}之前能到{a}吗
发货地是哪里
一般几天能到{a}
{o}的物流单号是多少
能不能帮我催一下发货
我想加购一个{p}，能一起发吗
能合并发货吗
付款失败了怎么办
订单一直显示待付款
支付宝可以付吗
可以货到付款吗
价格保护怎么申请
{p}降价了，可以退差价吗
{p}和另一款有什么区别
有没有{p}的尺码表
我刚下单了，能改颜色吗
能帮我备注一下晚上送吗
快递员说放驿站了，我去拿一下就行
包装坏了，里面东西没事，跟你们说一声
我已经寄回了，单号是SF1234567890123
退货寄出去了，你们收到了吗
换货的{p}发了没
请问退款审核要多久
我的账户怎么注销
密码忘了怎么办
手机号换了，怎么改
{p}可以送人吗，能不放价格单吗
能包装成礼物吗
有没有学生优惠
我在{a}，能自提吗
wo de kuaidi dao na le
qing wen shen me shi hou fa huo
tui kuan dao zhang le ma
我的order什么时候ship
refund到账了吗
帮我check一下物流
{p}有货吗 thx
能帮我查下{o}吗 谢谢
请问一下，{p}能用多久
好的，我知道了
嗯嗯，那我等一下
收到，我再看看
行，那就这样吧
我先看看别的
那我换个颜色吧
明白了
OK 那我明天再来问
那我等物流更新
我等快递员电话
请问客服几点下班
你们周末上班吗
亲，{p}这周有活动吗
亲 发货了吗
亲，{o}到哪了
在不在 问下{p}的事
哈喽，想问下退货流程
麻烦查一下我的快递，单号{o}
我想问问{p}的材质
{p}可以机洗吗
{p}重不重
{p}有几种颜色
""".strip().splitlines()

ZH_NEGATIVE = """
等了{n}天还没发货，有点失望
说好{t}到的，又没到，唉
{p}质量一般般，有点失望
{p}用了两天就坏了，好难过
收到的{p}和图片差太多了，很失望
哎，又延迟了
唉，{p}又缺货了
物流{n}天没动了，有点担心是不是丢了
好担心包裹丢了
我有点着急，{t}要用的
退款{n}天了还没到，心里没底
客服回复太慢了，等得好累
说好的赠品没有，有点失落
{p}尺码偏小，穿不了，好郁闷
真是服了，又发错颜色
呵呵，这就是你们说的顺丰包邮
好家伙，{n}天了还在揽件
可真是“快”递啊
真棒，第三次发错货了
{p}有股味道，不太满意
这次购物体验不太好
本来挺期待的，结果挺失望的
{p}做工很粗糙
不太满意，下次不会买了
感觉被坑了
有点后悔买了
{p}和描述不符
物流太慢了吧
一直没人回复，有点无语
无语，又要重新填一遍
怎么又是这个问题
老是出问题，好烦
烦死了，快递又没送上门
唉，白等了一天
心累，换货换了{n}次还是不对
{p}屏幕有坏点，好失望
包装破成这样，心疼我的{p}
退款流程太复杂了，好麻烦
好麻烦啊，为什么要填这么多
怕是收不到了
这都{n}天了，还能到吗，有点慌
我担心{t}前到不了
价格刚买就降了，有点郁闷
便宜没好货，果然
{p}颜色跟图片色差太大了
{p}充不进电，有点烦
用了一周就掉色了，失望
期待了好久的{p}，就这？
说实话有点失望
我都不知道说什么好了
不是说好包邮吗，怎么还收运费
又要等，唉
真心觉得不值这个价
{p}声音很小，不太满意
这么久都没处理，心里很不舒服
shi wang
好失望啊 😞
唉 😔 还没到
又坏了 😢
哭了，{p}碎了 😭
{p}质量too bad了
说好的next day delivery呢，唉
我有点disappointed
""".strip().splitlines()

ZH_ANGRY = """
太离谱了！
太离谱了，{n}天不发货
你们是骗子吧
什么垃圾{p}，气死我了
垃圾店铺，再也不买了
我要投诉你们！
我要去12315投诉
再不处理我就打12315
信不信我给你们差评
必须给差评，太坑了
差评！差评！差评！
你们客服是机器人吗？能不能说人话！
气死我了，{o}到底什么时候发货！
搞什么啊！又发错了！
你们到底有没有人管！
退款拖了{n}天，你们想干嘛！
我忍很久了，今天必须给我解决
别再敷衍我了！
什么破服务
什么破快递，东西全摔坏了
你们脑子有问题吧
滚，我不要了，退钱！
马上退钱！！！
退钱！！！
坑爹啊，{p}根本不能用
我要找你们老板
我要曝光你们
骗人的店，大家别买
恶心，收到的{p}是二手的
你们是不是故意的？！
我真的要爆炸了
再拖我就报警了
卧槽，又没到
妈的，快递丢了也没人管
tmd 什么玩意
什么鬼东西
火大，{p}一拆开就是坏的
我受够了！
简直就是诈骗！
还让我等？等你个头！
欺负消费者是吧
我已经打了{n}次电话了，没人理！！
你们这种态度，我一定投诉到底
垃圾客服，问什么都不知道
黑店！
我要举报你们虚假宣传
你们的{p}差点把我家插座烧了，必须赔！
立刻给我解决，不然法院见
什么狗屁政策
还好意思叫我等？？？
真是气炸了 😡
😡😡😡 退款呢
🤬 {p}又坏了
tai li pu le
qi si wo le
wtf 你们怎么做事的
what the hell 我的{p}呢
你们是scam吧
""".strip().splitlines()

ZH_POSITIVE = """
谢谢！
谢谢亲
谢谢你，帮大忙了
非常感谢
太感谢了
客服小姐姐太好了
{p}收到了，很喜欢
{p}质量很好，好评
五星好评
发货好快，点赞
物流超快，{t}就到了
{p}超好用
很满意，下次还来
包装很用心，谢谢
服务态度很好
问题解决了，谢谢
退款已经收到了，谢谢
好的谢谢，辛苦了
辛苦了
你们真棒
太棒了
爱了爱了
物超所值
{p}颜色很正，跟图片一样
已经推荐给朋友了
回购了，一如既往的好
客服很耐心，给你们点赞
麻烦了，谢谢哈
收到了，完美
比想象中还好
真的很好用，好评
东西不错，值这个价
谢谢帮我改地址
换货很顺利，感谢
这次的{p}很满意
开心，终于到了
哇，{p}好好看
nice，已经收到
good，谢谢
xie xie
thx 亲
谢谢 🙏
好评 👍
{p}太好用了 😍
开心 😄 已收到
满意 ❤️
给你们点个赞 👍👍
超级满意
棒棒哒
没问题了，谢谢你们
售后处理得很快，谢谢
""".strip().splitlines()

ZH_PREFIX = ["", "", "", "", "亲，", "亲 ", "你好，", "您好，", "在吗，", "客服，", "喂，", "哈喽 ", "请问", "那个，", "hi ", "嗨，", "老板，"]
ZH_SUFFIX = {
    "neutral": ["", "", "", "", "？", "?", "吗", "谢谢", "，谢谢", "，麻烦了", "呀", "哈", "哦", "呢", "～", " 谢谢亲", "，急用", "，订单号{o}"],
    "negative": ["", "", "", "。", "…", "...", "，唉", "，哎", "，无语", " 😞", " 😔", "，算了", "，好吧", "，心累"],
    "angry": ["", "", "！", "！！", "!!!", "？！", "，气死了", "，垃圾", " 😡", "，必须给说法", "，我要投诉", "，差评"],
    "positive": ["", "", "！", "~", "～", "，谢谢", " 👍", " 😊", "，爱了", "，好评", " ❤️", "，给力"],
}

# ---------------------------------------------------------------- English
EN_NEUTRAL = """
where is my package
where is my order {o}
when will my order ship
has {o} shipped yet
can you check the tracking for me
the tracking number from {c} doesn't work, can you check
did my refund go through
how long does a refund take
how do I return this
can I return the {p} within 7 days
I need to change my shipping address
I put the wrong address, can you change it to {a}
can I cancel my order
please cancel {o}
is the {p} in stock
do you have the {p} in black
how long is the warranty on the {p}
is the {p} original
can I get an invoice
can I use a coupon on this
is the discount still on
which courier do you use
can you ship with {c}
my order shows delivered but I don't have it
tracking says delivered but nothing's here, can you look into it
tracking hasn't updated in {n} days, can you check
the {p} arrived but a part is missing, what should I do
I got the wrong color {p}, how do I exchange it
the {p} is too small, can I swap for a bigger size
there's a small scratch on the {p}, how does warranty work
what's the return address
who pays for return shipping
will the refund go back to my card
I want to check my refund status
how do I upgrade my membership
how do I use my points
how can I talk to a human
human agent please
hello
hi
anyone there
I want to return an item
I want a refund
how do I use the {p}
how do I charge the {p}
can it arrive {t}
will it get to {a} {t}
where do you ship from
how long does shipping to {a} take
what's the tracking number for {o}
could you ask the warehouse to ship it sooner
can you ship the {p} together with my other order
payment failed, what should I do
my order still says pending payment
do you take paypal
do you have price protection
the {p} dropped in price, can I get the difference back
what's the difference between these two {p}s
is there a size chart for the {p}
I just ordered, can I change the color
can you add a note to deliver in the evening
the courier left it at the pickup point, I'll grab it
the box was a bit crushed but the {p} is fine, just letting you know
I already sent it back, tracking SF1234567890123
I shipped the return, did you get it
has the replacement {p} shipped
how long does the refund review take
how do I delete my account
I forgot my password
I changed my phone number, how do I update it
can you leave the price tag out, it's a gift
do you do gift wrapping
any student discount
can I pick it up in {a}
wheres my pakage
wen will it ship
refund status pls
hw do i return this
can u check my order {o}
pls cancel my order
ok got it
ok I'll wait then
alright, I'll check again later
sure, that works
I'll think about it
fine, I'll pick another color
understood
ok, I'll ask again tomorrow
I'll wait for the tracking to update
what time does support close
are you open on weekends
is there a sale on the {p} this week
any update on {o}
quick question about the {p}
hey, how does the return process work
could you check my parcel, order {o}
what material is the {p}
can I machine wash the {p}
how heavy is the {p}
what colors does the {p} come in
我的order到哪了 where is it
is my 退款 done
""".strip().splitlines()

EN_NEGATIVE = """
it's been {n} days and still not shipped, kind of disappointed
you said it would arrive {t}, it didn't, sigh
the {p} quality is meh, a bit disappointed
the {p} broke after two days, so sad
the {p} looks nothing like the pictures, really disappointed
ugh, delayed again
sigh, the {p} is out of stock again
no tracking update for {n} days, I'm worried it got lost
I'm worried my package is lost
I'm a bit anxious, I need it by {t}
refund has been {n} days and nothing, not sure what's going on
your replies are so slow, this is tiring
the free gift was missing, kinda bummed
the {p} runs small and doesn't fit, so annoying
great, wrong color again
oh wonderful, another delay
wow, {n} days and it's still at the warehouse
thanks for nothing I guess
fantastic, third time you sent the wrong item
the {p} smells weird, not happy with it
not a great experience this time
I was really looking forward to it, pretty let down
the {p} feels cheap
not satisfied, won't buy again
feel a bit ripped off
kind of regret buying this
the {p} doesn't match the description
shipping is really slow
nobody has answered me, kind of frustrating
do I really have to fill this in again
why is this happening again
always some problem, annoying
the courier didn't deliver again, so annoying
wasted a whole day waiting
so tired of this, exchanged {n} times and still wrong
dead pixels on the {p}, disappointing
the box was smashed, poor {p}
the refund process is way too complicated
this is such a hassle
I don't think it will ever arrive
it's been {n} days, will it even come, getting nervous
I'm worried it won't arrive before {t}
the price dropped right after I bought it, feels bad
you get what you pay for I guess
the {p} color is way off from the photos
the {p} won't charge, kinda frustrated
faded after one week, disappointing
waited so long for the {p} and this is it?
honestly a bit disappointed
I don't even know what to say
wasn't shipping supposed to be free
more waiting, great
honestly not worth the price
the {p} is too quiet, not happy
it's taking forever and I'm not comfortable with that
sadly the {p} didn't work out
unfortunately it arrived damaged
I'm not happy with how this was handled
this is disappointing :(
still not here :(
broken again 😢
the {p} cracked 😭
so let down 😞
meh 😕
kinda sad ngl
not impressed tbh
bit of a letdown tbh
not gonna lie this is disappointing
sooo slow
still waiting... 
""".strip().splitlines()

EN_ANGRY = """
this is ridiculous!
what the hell, {n} days and nothing shipped
you guys are scammers
what a piece of junk, I'm furious
worst store ever, never buying again
I'm going to report you
I'm filing a complaint with the consumer protection agency
fix this now or I'm calling my bank for a chargeback
I'm leaving a 1 star review
one star, total ripoff
WORST SERVICE EVER
are you a bot?? answer the question!
WHERE IS MY ORDER {o}
what the hell, wrong item again!
does anyone there actually do their job!
{n} days for a refund, are you kidding me!
I've had enough, fix it today
stop giving me the runaround!
garbage service
your courier smashed everything, unbelievable
are you people stupid
forget it, just give me my money back!
REFUND ME NOW
I WANT MY MONEY BACK
this {p} is a scam, doesn't even turn on
let me talk to your manager right now
I'll post this everywhere
scam shop, nobody buy here
disgusting, the {p} I got is used
are you doing this on purpose?!
I'm about to lose it
keep stalling and I'll call the police
wtf, still not here
damn it, lost package and nobody cares
this is bullshit
what is this crap
so pissed, the {p} was broken out of the box
I'm sick of this!
this is straight up fraud
wait more? are you serious?!
you're ripping off customers
I've called {n} times and nobody helps!!
with that attitude I'm taking this all the way
useless support, you don't know anything
rip off!
I'm reporting you for false advertising
your {p} almost set my outlet on fire, you'll pay for this
solve it now or see you in court
what a joke of a policy
you want me to WAIT??? seriously???
absolutely furious 😡
😡😡😡 where is my refund
🤬 the {p} broke AGAIN
THIS IS UNACCEPTABLE
WTF is wrong with you people
i'm so done with you idiots
fk this store
screw you guys
I'm disputing the charge, you thieves
omg how hard is it to ship a {p}!!!
你们太离谱了 this is insane
""".strip().splitlines()

EN_POSITIVE = """
thanks!
thank you so much
thanks, that helps a lot
really appreciate it
you're the best
got the {p}, love it
the {p} is great quality
five stars
super fast shipping, thanks
arrived {t}, so quick
the {p} works perfectly
very happy, will buy again
nice packaging, thank you
great service
that fixed it, thanks
refund received, thank you
ok thanks, have a nice day
thanks for your help
awesome
amazing
love it
worth every penny
the {p} looks exactly like the photos
already recommended you to friends
second time buying, still great
thanks for being so patient
perfect, thanks a lot
better than I expected
really useful, great buy
good stuff, worth the price
thanks for changing the address
exchange went smoothly, thank you
really happy with the {p}
yay it finally arrived
wow the {p} is gorgeous
nice, got it
good, thanks
thx
ty!
tysm
thank u
thanks 🙏
great 👍
love the {p} 😍
so happy 😄 got it
❤️ thanks
you guys rock
super satisfied
all good now, thanks
quick refund, appreciate it
cheers mate
much appreciated
lovely, thank you
brilliant, sorted
谢谢 thanks a lot
""".strip().splitlines()

EN_PREFIX = ["", "", "", "", "hi, ", "hello, ", "hey ", "hi ", "excuse me, ", "um ", "so ", "ok ", "yo ", "hiya, "]
EN_SUFFIX = {
    "neutral": ["", "", "", "", "?", "??", " please", ", thanks", " thx", " pls", ", thank you", " asap", ", order {o}", "."],
    "negative": ["", "", "", ".", "...", " sigh", " :(", " 😞", " 😔", ", oh well", ", whatever", " tbh", " ugh"],
    "angry": ["", "", "!", "!!", "!!!", "?!", " seriously", " wtf", " 😡", ", unacceptable", ", I want a refund", ", you'll get a bad review"],
    "positive": ["", "", "!", "!!", " :)", " 👍", " 😊", ", thanks", ", cheers", " ❤️", ", great job", " love it"],
}

ZH_NEUTRAL_MORE = """
我下午不在家，能晚点送吗
我今天在公司，快递放门卫就行
我老公会去取件
这个{p}是买给我妈的
我上周在你们店买了一个{p}
我刚刚付完款
我换了个手机号，新号码是138开头的
我住在{a}，地址是小区东门
我明天出差，{t}再寄吧
我朋友推荐我来的
我之前买过一次{p}
我看到详情页写的是纯棉
我家孩子今年五岁
我用的是安卓手机
今天下雨，快递慢一点也没关系
我周末才有空收货
我把照片发给你看一下
图片已经上传了
订单号我发你了：{o}
我已经在APP里点了申请退款
这个是我第二个订单
收货人写的是我同事
刚才是我妹妹在跟你聊
我先去开个会，一会儿回来
等我查一下订单号
我看看家里有没有人
我在地铁上，晚点再说
快递员刚给我打电话了
物流显示在{a}中转
页面上写的是三天内发货
我记得是上个月买的
他说明天去取
我们公司需要开专票
我准备送朋友生日礼物
这周末我要搬家，地址会变
我在比较两款{p}
我的会员是上个月开通的
我用的是微信支付
今天是我第一次在你们这买东西
我只是想确认一下
我再考虑考虑
那我明天去驿站拿
这个颜色我妈应该喜欢
我想给{p}买个配件
我先把购物车里的东西付了
我刚看了一下物流
这个我自己装就行
我平时穿M码
我身高一米七
就是问问，不急
我打算买两件
我是在直播间下的单
那我等你们通知
我把地址改成公司的吧
我这边显示还在运输中
好的，我去看看
你们是几点发快递
我明天上午在家
"""

EN_NEUTRAL_MORE = """
I'm not home this afternoon, can it come later
I'm at work today, just leave it with the front desk
my husband will pick it up
the {p} is a gift for my mom
I bought a {p} from you last week
I just paid
I got a new phone number
I live in {a}, the entrance is on the east side
I'm traveling {t}, ship it after that
a friend recommended your shop
I bought the {p} once before
the product page says it's cotton
my kid is five years old
I'm using an android phone
it's raining today so no rush on delivery
I can only receive packages on weekends
I'll send you a photo
I uploaded the pictures
here's my order number {o}
I already requested a refund in the app
this is my second order
the recipient is my coworker
my sister was chatting with you earlier
I have a meeting, I'll be back in a bit
let me find the order number
let me check if someone is home
I'm on the train, talk later
the courier just called me
tracking says it's in {a}
the page said ships within 3 days
I think I bought it last month
he said he'll pick it up tomorrow
our company needs a VAT invoice
it's a birthday present for a friend
I'm moving this weekend so my address will change
I'm comparing two {p}s
I signed up for membership last month
I paid with apple pay
this is my first time ordering here
I just want to confirm
I'll think it over
I'll go to the pickup point tomorrow
my mom will probably like this color
I want to buy an accessory for the {p}
I'll check out my cart first
I just looked at the tracking
I can install it myself
I usually wear a medium
I'm about 5'8"
just asking, no rush
I'm planning to buy two
I ordered during the livestream
I'll wait for your notice then
let me change the address to my office
mine says in transit
ok, let me have a look
what time do you hand parcels to the courier
I'll be home tomorrow morning
"""

ZH_NEGATIVE_MORE = """
这次真的让我很失望
本来想送人的，现在送不出去了，好尴尬
等了这么久，心情都没了
说实话，有点后悔没去别家买
孩子等着用呢，急死了
唉，生日都过了礼物还没到
看评价挺好的，到手却是这样
我已经不抱希望了
感觉你们不太重视老客户
上次也是这样，这次又来
这个售后流程让人很疲惫
心情很差，好好的周末被耽误了
好吧，只能自认倒霉了
收到就是坏的，真扫兴
你们的回复总是模板，有点寒心
我想投诉一下快递员，态度不太好
我要投诉一下配送的问题
想反映一下客服的服务态度
我要投诉{p}的质量问题
投诉一下，快递员没打电话就放驿站了
我想投诉，这个问题反映好几次了
麻烦帮我登记一个投诉
我要投诉快递员，东西放门口就走了
对这次的售后处理不太满意，想投诉
我想给你们提个意见，发货太慢了
"""

EN_NEGATIVE_MORE = """
this really let me down
it was supposed to be a gift and now it's too late, embarrassing
waited so long I don't even care anymore
honestly I regret not buying elsewhere
my kid needs it and I'm stressed out
sigh, the birthday already passed and the gift isn't here
the reviews looked good but this is what I got
I've kind of given up on it
feels like you don't care about returning customers
same thing happened last time
this after-sales process is exhausting
ruined my weekend honestly
oh well, just my bad luck I guess
arrived broken, what a bummer
your replies always feel like copy paste, kind of sad
I'd like to make a complaint about the courier
I want to file a complaint about the delivery
I'd like to report a problem with your customer service
can I make a formal complaint about {p}
I want to complain, the driver left it outside without asking
I'd like to complain, I've raised this twice already
please log a complaint for me
I want to complain about how my return was handled
not happy with the support I got, I'd like to complain
I want to give some feedback, shipping has been really slow
"""

ZH_POSITIVE_MORE = """
好开心，终于收到了
我妈很喜欢，谢谢你们
质量比我想的好多了
客服回复好快，赞
你们的包装太贴心了
孩子特别喜欢这个{p}
下次还找你
真是帮了大忙了
这个价格买到真值
好评已经写了
谢谢你这么耐心解释
效率真高，点赞
"""

EN_POSITIVE_MORE = """
so happy it finally came
my mom loves it, thank you
way better quality than I expected
you reply so fast, love it
your packaging is so thoughtful
my kid loves the {p}
I'll definitely come back
you saved my day
great value for the price
left you a good review
thanks for explaining so patiently
super efficient, well done
"""

ZH_ANGRY_MORE = """
你们到底还想拖多久！
我说了多少遍了，听不懂人话吗
一个破快递拖了半个月，你们干什么吃的
今天不给我退款，我就天天打电话
把你们经理叫出来
什么玩意儿，买到假货了！
再敢发个模板回复试试
你们就是欺负人
这种店早该关门了
我真是瞎了眼才在你们这买
"""

EN_ANGRY_MORE = """
how much longer are you going to drag this out!
how many times do I have to say it, do you even read
half a month for one package, what are you even doing
if I don't get my refund today I'll call every day
get me your manager
what the hell is this, it's a fake!
send me one more canned reply and see what happens
you're just bullying customers
a shop like this should be shut down
I must have been blind to buy from you
"""

ZH_NEUTRAL += ZH_NEUTRAL_MORE.strip().splitlines()
EN_NEUTRAL += EN_NEUTRAL_MORE.strip().splitlines()
ZH_NEGATIVE += ZH_NEGATIVE_MORE.strip().splitlines()
EN_NEGATIVE += EN_NEGATIVE_MORE.strip().splitlines()
ZH_POSITIVE += ZH_POSITIVE_MORE.strip().splitlines()
EN_POSITIVE += EN_POSITIVE_MORE.strip().splitlines()
ZH_ANGRY += ZH_ANGRY_MORE.strip().splitlines()
EN_ANGRY += EN_ANGRY_MORE.strip().splitlines()

# ------------------------------------------------------ noise: typos etc.
def en_noise(s):
    r = R.random()
    if r < 0.15:
        s = s.lower()
    elif r < 0.22:
        s = s[:1].upper() + s[1:]
    if R.random() < 0.12:  # drop a letter
        words = s.split(" ")
        i = R.randrange(len(words))
        w = words[i]
        if len(w) > 4 and w.isalpha():
            j = R.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j + 1:]
        s = " ".join(words)
    if R.random() < 0.15:
        for a, b in [("you", "u"), ("please", "pls"), ("thanks", "thx"), ("are", "r"), ("your", "ur"), ("because", "cuz"), ("don't", "dont"), ("I'm", "im"), ("it's", "its")]:
            s = re.sub(r"\b" + re.escape(a) + r"\b", b, s)
    return s


def en_angry_noise(s):
    if R.random() < 0.2:
        s = s.upper()
    return en_noise(s)


def zh_noise(s):
    r = R.random()
    if r < 0.06:
        s = s.replace("吗", "嘛")
    elif r < 0.1:
        s = s.replace("什么", "神马")
    elif r < 0.13:
        s = s.replace("怎么", "咋")
    elif r < 0.16:
        s = s.replace("你们", "你门")
    if R.random() < 0.1:
        s = s.replace("，", " ")
    return s


LANG = {
    "zh": dict(
        cores={"neutral": ZH_NEUTRAL, "negative": ZH_NEGATIVE, "angry": ZH_ANGRY, "positive": ZH_POSITIVE},
        prefix=ZH_PREFIX, suffix=ZH_SUFFIX, slots=ZH, noise={"angry": zh_noise}, default_noise=zh_noise, sep="",
    ),
    "en": dict(
        cores={"neutral": EN_NEUTRAL, "negative": EN_NEGATIVE, "angry": EN_ANGRY, "positive": EN_POSITIVE},
        prefix=EN_PREFIX, suffix=EN_SUFFIX, slots=EN, noise={"angry": en_angry_noise}, default_noise=en_noise, sep="",
    ),
}

# Label shares (neutral dominates like real traffic) and split sizes.
SHARE = {"neutral": 0.50, "negative": 0.20, "angry": 0.15, "positive": 0.15}
SIZES = {"train": 2000, "valid": 250, "test": 250}


def key(t):
    return re.sub(r"\s+", " ", t.lower()).strip()


def variants(lang, label, cores, want, seen):
    cfg = LANG[lang]
    items = []
    for c in cores:
        t = fill(c, cfg["slots"])
        if key(t) not in seen:
            seen.add(key(t))
            items.append(t)
    tries = 0
    while len(items) < want and tries < want * 300:
        tries += 1
        c = R.choice(cores)
        t = fill(c, cfg["slots"])
        pre = R.choice(cfg["prefix"])
        suf = fill(R.choice(cfg["suffix"][label]), cfg["slots"])
        # Do not stack punctuation or decorate with greetings twice.
        if pre and re.match(r"^(hi|hello|hey|你好|在吗|哈喽|亲|嗨)", t, re.I):
            pre = ""
        if suf and t and t[-1] in "!！?？.。…~～" and suf[0] in "!！?？.。…~～":
            suf = ""
        t = pre + t + suf
        t = cfg["noise"].get(label, cfg["default_noise"])(t)
        t = re.sub(r"\s+", " ", t).strip()
        if t and key(t) not in seen:
            seen.add(key(t))
            items.append(t)
    if len(items) < want:
        sys.exit(f"{lang}/{label}: only {len(items)} distinct texts, want {want}")
    R.shuffle(items)
    return items[:want]


def main():
    outdir = sys.argv[1]
    total = sum(SIZES.values())
    for lang in ("zh", "en"):
        splits = {s: [] for s in SIZES}
        seen = set()  # one language's texts, across labels and splits
        for label, share in SHARE.items():
            cores = [c.strip() for c in LANG[lang]["cores"][label] if c.strip()]
            R.shuffle(cores)
            # Valid and test messages come from sentences the training data
            # never saw (held-out cores), so the scores measure
            # generalisation, not template recall.
            k = max(3, round(len(cores) * 0.15))
            parts = {"valid": cores[:k], "test": cores[k:2 * k], "train": cores[2 * k:]}
            for s, n in SIZES.items():
                want = round(n * share)
                splits[s] += [(t, label) for t in variants(lang, label, parts[s], want, seen)]
        for s, rows in splits.items():
            R.shuffle(rows)
            with open(f"{outdir}/{s}.{lang}.jsonl", "w") as f:
                for t, label in rows:
                    f.write(json.dumps({"text": t, "label": label, "lang": lang}, ensure_ascii=False) + "\n")
            print(s, lang, len(rows))


main()
