package demo

// The fictional district of the scenario and its communes (2021), in
// Gia Lai province (GSO code 64). District and commune codes are left empty:
// these places do not exist.
const (
	ProvinceName = "Tỉnh Gia Lai"
	ProvinceCode = "64"
	DistrictName = "Huyện Ia Grai Nam"
	// DistrictShort is how the district's bodies are named ("… huyện Ia Grai Nam").
	DistrictShort = "Ia Grai Nam"
)

// Communes of the district in 2021, with a few villages each.
var Communes = []struct {
	Name     string
	Villages []string
}{
	{"Thị trấn Ia Blang", []string{"Tổ dân phố 1", "Tổ dân phố 2", "Làng Blang"}},
	{"Xã Ia Dêr", []string{"Làng Dêr", "Làng Kla", "Thôn Bình Minh"}},
	{"Xã Ia Krái", []string{"Làng Krái", "Làng Kon Chrăh", "Thôn Tân Lập"}},
	{"Xã Ia Tô", []string{"Làng Tô", "Làng Nang", "Thôn Thanh Bình"}},
	{"Xã Ia Hrung", []string{"Làng Hrung", "Làng Dơng", "Thôn Hòa Bình"}},
	{"Xã Ia Sao", []string{"Làng Sao", "Làng Ó", "Thôn Đoàn Kết"}},
	{"Xã Ia Bă", []string{"Làng Bă", "Làng Yam", "Thôn Quyết Thắng"}},
	{"Xã Ia Chía", []string{"Làng Chía", "Làng Bi", "Thôn Đồng Tâm"}},
	{"Xã Ia Khai", []string{"Làng Khai", "Làng Mook", "Thôn Nam Hà"}},
	{"Xã Ia O", []string{"Làng O", "Làng Bàng", "Thôn Đức Hưng"}},
}

// Merge2025 is the two-level reform of 1 July 2025 in the scenario: three
// communes merged into one commune directly under the province.
var Merge2025 = struct {
	Into string
	From []string
}{
	Into: "Xã Ia Blang",
	From: []string{"Thị trấn Ia Blang", "Xã Ia Dêr", "Xã Ia Krái"},
}

// Organisation of the bloc: code, Vietnamese name, English name, short name
// used in unit names, and the names of the district-level unit.
var Organisations = []struct {
	Code, NameVI, NameEN, Short string
	District                    string // the district unit's name
	// Commune is the prefix of commune units, followed by the commune
	// ("Đoàn Thanh niên xã Ia Tô"); "" = none at commune level.
	Commune string
}{
	{"MTTQ", "Mặt trận Tổ quốc Việt Nam", "Vietnam Fatherland Front", "Ủy ban MTTQ", "Ủy ban MTTQ Việt Nam huyện " + DistrictShort, "Ủy ban MTTQ"},
	{"HND", "Hội Nông dân Việt Nam", "Vietnam Farmers' Union", "Hội Nông dân", "Hội Nông dân huyện " + DistrictShort, "Hội Nông dân"},
	{"HLHPN", "Hội Liên hiệp Phụ nữ Việt Nam", "Vietnam Women's Union", "Hội LHPN", "Hội Liên hiệp Phụ nữ huyện " + DistrictShort, "Hội LHPN"},
	{"DTN", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Ho Chi Minh Communist Youth Union", "Đoàn Thanh niên", "Huyện đoàn " + DistrictShort, "Đoàn Thanh niên"},
	{"HCCB", "Hội Cựu chiến binh Việt Nam", "Vietnam Veterans' Association", "Hội CCB", "Hội Cựu chiến binh huyện " + DistrictShort, "Hội CCB"},
	{"LDLD", "Công đoàn Việt Nam (Liên đoàn Lao động)", "Vietnam Trade Union", "Liên đoàn Lao động", "Liên đoàn Lao động huyện " + DistrictShort, ""},
	{"HCTD", "Hội Chữ thập đỏ Việt Nam", "Vietnam Red Cross Society", "Hội Chữ thập đỏ", "", ""},
}

// ExternalBodies of the district: kind, name, short name, parent short name.
var ExternalBodies = []struct{ Kind, Name, Short, Parent string }{
	{"party_committee", "Huyện ủy " + DistrictShort, "Huyện ủy", ""},
	{"party_board", "Ban Tổ chức Huyện ủy", "Ban Tổ chức", "Huyện ủy"},
	{"party_board", "Ban Tuyên giáo Huyện ủy", "Ban Tuyên giáo", "Huyện ủy"},
	{"party_board", "Ban Dân vận Huyện ủy", "Ban Dân vận", "Huyện ủy"},
	{"party_board", "Ủy ban Kiểm tra Huyện ủy", "UBKT Huyện ủy", "Huyện ủy"},
	{"government", "Ủy ban nhân dân huyện " + DistrictShort, "UBND huyện", ""},
	{"agency", "Trung tâm Y tế huyện " + DistrictShort, "Trung tâm Y tế huyện", ""},
	{"agency", "Trung tâm Văn hóa - Thông tin và Thể thao huyện " + DistrictShort, "Trung tâm VH-TT&TT huyện", ""},
}

// DemoUser is an account of the demo, printed at start.
type DemoUser struct {
	Role, Username, Password, FullName string
	Unit                               string // "ORG@area name" for officers and leaders
	Area                               string // area name for secretariat and viewers
}

// Users of the demo, one per role (and a commune officer). The chair's name
// is the article's; everyone else is fictional.
var Users = []DemoUser{
	{Role: "admin", Username: "quantri", Password: "quantri-2021", FullName: "Quản trị hệ thống"},
	{Role: "secretariat", Username: "thuky", Password: "thuky-2021", FullName: "Rơ Mah H'Lim (Văn phòng Ủy ban MTTQ huyện)", Area: DistrictName},
	{Role: "officer", Username: "canbo.hnd", Password: "canbo-2021", FullName: "Nguyễn Văn Đức (Hội Nông dân huyện)", Unit: "HND@" + DistrictName},
	{Role: "leader", Username: "lanhdao.hnd", Password: "lanhdao-2021", FullName: "Siu Thoan (Chủ tịch Hội Nông dân huyện)", Unit: "HND@" + DistrictName},
	{Role: "viewer", Username: "huyenuy", Password: "huyenuy-2021", FullName: "Kpă Ngun (Phó Bí thư Thường trực Huyện ủy)", Area: DistrictName},
	{Role: "officer", Username: "canbo.mttq.iato", Password: "iato-2021", FullName: "Trần Thị Hoà (Ủy ban MTTQ xã Ia Tô)", Unit: "MTTQ@Xã Ia Tô"},
}
