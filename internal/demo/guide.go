package demo

import (
	"context"
	"time"

	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/store"
)

// The demo's service guide (办事指南): where each hall is, what each service is, who may apply,
// its fees and legal basis, who issues each material, and a finder tree per hall. Written from
// the public guides of municipal service centres, through the catalogue's own functions.

type guideText struct {
	description, conditions, fees, basis, keywords string
}

var guides = map[string]guideText{
	"A": {"为灵活就业人员、城乡居民办理基本养老保险、基本医疗保险费的缴纳、补缴和缴费基数申报。", "在本市参保的灵活就业人员、城乡居民；单位职工由单位统一办理。", "免费（只缴纳社会保险费本身）",
		"《中华人民共和国社会保险法》第十条、第二十三条；《社会保险费征缴暂行条例》", "养老保险,医疗保险,社保费,灵活就业,补缴"},
	"B": {"参保人员跨统筹地区就业时，办理基本养老保险关系和医疗保险关系的转移接续。", "已在原参保地缴费、现在本市就业并参保的人员。", "免费",
		"《中华人民共和国社会保险法》第十九条；《城镇企业职工基本养老保险关系转移接续暂行办法》", "转移接续,跨省,调动,换工作"},
	"C": {"查询个人社会保险参保信息、缴费记录，打印参保证明。", "参保人本人，或持委托书的代理人。", "免费",
		"《中华人民共和国社会保险法》第七十四条", "参保证明,缴费记录,打印"},
	"D": {"职工购买、建造自住住房，租赁住房，离退休等情形下提取住房公积金账户存储余额。", "正常缴存住房公积金的职工，且符合购房、租房或离退休等提取条件。", "免费",
		"《住房公积金管理条例》第二十四条", "提取,租房提取,购房提取,取公积金"},
	"E": {"缴存职工购买、建造、翻建、大修自住住房时申请住房公积金个人住房贷款。", "连续足额缴存住房公积金满6个月，且具有完全民事行为能力的职工。", "免费（不动产登记费等由登记机构另行收取）",
		"《住房公积金管理条例》第二十六条；《个人住房公积金贷款管理办法》", "贷款,房贷,买房,公积金贷"},
	"F": {"办理住房公积金账户的设立、封存、启封、转移和缴存基数调整。", "缴存单位或职工本人。", "免费",
		"《住房公积金管理条例》第十三条、第十四条", "开户,封存,基数调整,单位缴存"},
	"G": {"办理个人所得税、增值税等税种的纳税申报和税款缴纳。", "负有纳税义务的单位和个人。", "免费",
		"《中华人民共和国税收征收管理法》第二十五条", "报税,个税,增值税,纳税"},
	"H": {"解答税收政策、办税流程和优惠政策的咨询。", "任何单位和个人。", "免费",
		"《中华人民共和国税收征收管理法》第七条", "税收政策,个税咨询,减免"},
	"J": {"办理医疗费用手工报销、异地就医备案和医保关系变更。", "本市基本医疗保险参保人员。", "免费",
		"《中华人民共和国社会保险法》第二十九条；《医疗保障基金使用监督管理条例》", "医保报销,异地就医,医疗保险"},
	"K": {"办理义务教育阶段入学登记、转学和学籍相关证明。", "适龄儿童少年的法定监护人。", "免费",
		"《中华人民共和国义务教育法》第十二条", "入学,转学,上学,学籍"},
	"L": {"办理公共租赁住房、保障性住房的申请和资格审核。", "本市户籍或持居住证、住房和收入符合规定标准的家庭。", "免费",
		"《公共租赁住房管理办法》（住房和城乡建设部令第11号）", "公租房,保障房,廉租房"},
	"T": {"受理对本中心服务的投诉、意见和建议，并在承诺时限内答复。", "任何单位和个人。", "免费",
		"《信访工作条例》；《政务服务评价工作指南》", "投诉,建议,意见,差评"},
}

// issuers: who issues each demo material (出具单位).
var issuers = map[string]string{
	"居民身份证": "公安机关", "居民身份证复印件": "申请人自备", "社会保障卡": "人力资源社会保障部门", "灵活就业人员参保登记表": "本中心窗口领取或网上下载",
	"参保缴费凭证": "原参保地社会保险经办机构", "基本养老保险关系转移接续申请表": "本中心窗口领取", "本人银行借记卡": "商业银行",
	"购房合同或不动产权证书": "住房和城乡建设部门 / 不动产登记机构", "租赁合同": "出租人与承租人签订（经备案）", "婚姻状况证明": "民政部门（婚姻登记机关）",
	"购房合同": "房地产开发企业（网签备案）", "首付款发票": "房地产开发企业", "收入证明": "申请人所在单位", "单位经办人授权委托书": "缴存单位",
	"营业执照副本": "市场监督管理部门", "财务报表": "申报单位", "医保电子凭证或社会保障卡": "医疗保障部门", "医疗费用票据": "定点医疗机构",
	"户口簿": "公安机关", "居住证": "公安机关", "家庭收入证明": "申请人所在单位或街道（乡镇）", "住房情况证明": "不动产登记机构",
}

var hallPlaces = []struct{ address, addressEN, phone, note string }{
	{"人民路 100 号市民服务中心一楼", "1F, Citizen Service Centre, 100 Renmin Road", "12345", "全天开放；法定节假日照常取号，时限按工作日计算"},
	{"高新区创新大道 8 号政务服务分中心二楼", "2F, 8 Chuangxin Avenue, Hi-Tech Zone", "12345", "法定节假日休息，调休上班日正常办公"},
}

// finderTree is the demo's guided finder, by prefix.
func finderTree(id map[string]int64) []*org.FinderNode {
	leaf := func(label, prefix string) *org.FinderNode { return &org.FinderNode{Label: label, Service: id[prefix]} }
	ask := func(label, question string, children ...*org.FinderNode) *org.FinderNode {
		return &org.FinderNode{Label: label, Question: question, Children: children}
	}
	return []*org.FinderNode{
		ask("社会保险", "您想办理社保的什么业务？", leaf("缴纳或补缴社保费", "A"), leaf("换工作、跨地区转移社保", "B"), leaf("查询缴费记录、打印参保证明", "C")),
		ask("住房公积金", "您想办理公积金的什么业务？",
			ask("取出公积金", "您提取公积金是为了？", leaf("买房或还房贷", "D"), leaf("租房", "D")),
			leaf("用公积金贷款买房", "E"), leaf("开户、封存或调整缴存基数", "F")),
		ask("纳税", "您是要？", leaf("申报或缴纳税款", "G"), leaf("咨询税收政策", "H")),
		ask("医疗、上学、住房", "您要办理哪一项？", leaf("医保报销、异地就医", "J"), leaf("孩子入学、转学", "K"), leaf("申请公租房、保障房", "L")),
		leaf("投诉或提建议", "T"),
	}
}

// loadGuide fills the guide's fields of the demo catalogue and each hall's finder.
func loadGuide(ctx context.Context, tx *store.Tx, who audit.Who, now time.Time) error {
	halls, err := org.Halls(ctx, tx)
	if err != nil {
		return err
	}
	for i, h := range halls {
		pl := hallPlaces[i%len(hallPlaces)]
		h.Address, h.AddressEN, h.Phone, h.HoursNote = pl.address, pl.addressEN, pl.phone, pl.note
		if err := org.UpdateHall(ctx, tx, who, now, *h); err != nil {
			return err
		}
		svcs, err := org.Services(ctx, tx, h.ID)
		if err != nil {
			return err
		}
		ids := map[string]int64{}
		for _, s := range svcs {
			ids[s.Prefix] = s.ID
			g := guides[s.Prefix]
			s.Description, s.Conditions, s.Fees, s.LegalBasis, s.Keywords = g.description, g.conditions, g.fees, g.basis, g.keywords
			s.PlaceNote = "取号后请留意叫号屏，到显示的窗口办理"
			for j := range s.Materials {
				s.Materials[j].Issuer = issuers[s.Materials[j].Name]
			}
			if err := org.UpdateService(ctx, tx, who, now, *s); err != nil {
				return err
			}
		}
		if err := org.SetFinder(ctx, tx, who, now, h.ID, finderTree(ids)); err != nil {
			return err
		}
	}
	return nil
}
