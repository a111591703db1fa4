"""Chinese regions: provinces, the separately planned cities and prefecture-level cities.

One place for every region constant the package uses. :func:`normalize_region` maps any way of writing a
province or a prefecture-level city (short or long Chinese name, pinyin, English, the GB/T 2260 code) to a
standard record: the province code (GB/T 2260, two digits), the Chinese short name, the English name, the city
(when one was given) and a flag for the five separately planned cities (计划单列市: 大连 青岛 宁波 厦门 深圳),
which MIIT treats as their own list issuers but which belong to a parent province.

Names are checked against GB/T 2260 as published by the Ministry of Civil Affairs (民政部, 2024 release,
https://www.mca.gov.cn/n156/n2679/index.html; the county table is in :mod:`lgresearch.clean._gb2260`): every
prefecture-level division of that table is in :data:`CITIES`. A county or district name (``余杭区``) is resolved
through the county table; a name found in several provinces (``朝阳区``: Beijing and Changchun; ``鼓楼区``,
``西湖区``, ``普陀区``, ``江北区``) is *ambiguous*: it is not guessed (:func:`normalize_region` returns None and
:func:`region_status` says ``"ambiguous"``) unless the province is given (``北京市朝阳区`` or ``city=`` with a
province).

The Xinjiang Production and Construction Corps (新疆生产建设兵团) issues its own lists; it gets the code
``"66"`` (the code used for it in national statistical tables) and is *not* folded into Xinjiang.

Examples
--------
>>> normalize_region("浙江省")["province"]
'浙江'
>>> r = normalize_region("Shenzhen")
>>> (r["province"], r["city"], r["separately_planned"])
('广东', '深圳市', True)
>>> normalize_region("Inner Mongolia")["province_code"]
'15'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import cast

import numpy as np
import pandas as pd

from lgresearch._compat import TEXT_DTYPE
from lgresearch.clean._gb2260 import COUNTIES

__all__ = [
    "PROVINCES", "XPCC_CODE", "PROVINCE_ALIASES", "SEPARATELY_PLANNED", "CITIES", "REGION_COLUMNS",
    "normalize_region", "region_status", "normalize_regions", "region_prefix_forms",
]


#: The 31 provincial-level divisions plus the XPCC: code -> (short name, long name, English, pinyin).
PROVINCES: dict[str, tuple[str, str, str, str]] = {
    "11": ("北京", "北京市", "Beijing", "Beijing"),
    "12": ("天津", "天津市", "Tianjin", "Tianjin"),
    "13": ("河北", "河北省", "Hebei", "Hebei"),
    "14": ("山西", "山西省", "Shanxi", "Shanxi"),
    "15": ("内蒙古", "内蒙古自治区", "Inner Mongolia", "Neimenggu"),
    "21": ("辽宁", "辽宁省", "Liaoning", "Liaoning"),
    "22": ("吉林", "吉林省", "Jilin", "Jilin"),
    "23": ("黑龙江", "黑龙江省", "Heilongjiang", "Heilongjiang"),
    "31": ("上海", "上海市", "Shanghai", "Shanghai"),
    "32": ("江苏", "江苏省", "Jiangsu", "Jiangsu"),
    "33": ("浙江", "浙江省", "Zhejiang", "Zhejiang"),
    "34": ("安徽", "安徽省", "Anhui", "Anhui"),
    "35": ("福建", "福建省", "Fujian", "Fujian"),
    "36": ("江西", "江西省", "Jiangxi", "Jiangxi"),
    "37": ("山东", "山东省", "Shandong", "Shandong"),
    "41": ("河南", "河南省", "Henan", "Henan"),
    "42": ("湖北", "湖北省", "Hubei", "Hubei"),
    "43": ("湖南", "湖南省", "Hunan", "Hunan"),
    "44": ("广东", "广东省", "Guangdong", "Guangdong"),
    "45": ("广西", "广西壮族自治区", "Guangxi", "Guangxi"),
    "46": ("海南", "海南省", "Hainan", "Hainan"),
    "50": ("重庆", "重庆市", "Chongqing", "Chongqing"),
    "51": ("四川", "四川省", "Sichuan", "Sichuan"),
    "52": ("贵州", "贵州省", "Guizhou", "Guizhou"),
    "53": ("云南", "云南省", "Yunnan", "Yunnan"),
    "54": ("西藏", "西藏自治区", "Tibet", "Xizang"),
    "61": ("陕西", "陕西省", "Shaanxi", "Shaanxi"),
    "62": ("甘肃", "甘肃省", "Gansu", "Gansu"),
    "63": ("青海", "青海省", "Qinghai", "Qinghai"),
    "64": ("宁夏", "宁夏回族自治区", "Ningxia", "Ningxia"),
    "65": ("新疆", "新疆维吾尔自治区", "Xinjiang", "Xinjiang"),
    "66": ("新疆兵团", "新疆生产建设兵团", "Xinjiang Production and Construction Corps", "Xinjiang Bingtuan"),
}

#: Code of the Xinjiang Production and Construction Corps (an issuer of its own lists).
XPCC_CODE = "66"

#: Extra spellings (Chinese, pinyin, English) -> province code.
PROVINCE_ALIASES: dict[str, str] = {
    "内蒙": "15", "nei mongol": "15", "nei menggu": "15", "inner mongolia autonomous region": "15",
    "广西壮族": "45", "广西自治区": "45", "guangxi zhuang autonomous region": "45",
    "西藏自治区": "54", "xizang": "54", "tibet autonomous region": "54",
    "宁夏回族": "64", "宁夏自治区": "64", "ningxia hui autonomous region": "64",
    "新疆维吾尔": "65", "新疆自治区": "65", "xinjiang uygur autonomous region": "65",
    "xinjiang uyghur autonomous region": "65",
    "兵团": "66", "新疆建设兵团": "66", "生产建设兵团": "66", "xpcc": "66", "bingtuan": "66",
    "xinjiang production and construction corps": "66", "xinjiang bingtuan": "66",
    "shensi": "61", "shaanxi province": "61", "peking": "11", "canton": "44",
    "京": "11", "津": "12", "冀": "13", "晋": "14", "辽": "21", "吉": "22", "黑": "23", "沪": "31",
    "苏": "32", "浙": "33", "皖": "34", "闽": "35", "赣": "36", "鲁": "37", "豫": "41", "鄂": "42",
    "湘": "43", "粤": "44", "桂": "45", "琼": "46", "渝": "50", "川": "51", "蜀": "51", "贵": "52",
    "黔": "52", "云": "53", "滇": "53", "藏": "54", "陕": "61", "秦": "61", "甘": "62", "陇": "62",
    "青": "63", "宁": "64", "新": "65",
}

#: The five separately planned cities (计划单列市): short name -> (parent province code, English name).
SEPARATELY_PLANNED: dict[str, tuple[str, str]] = {
    "大连": ("21", "Dalian"),
    "青岛": ("37", "Qingdao"),
    "宁波": ("33", "Ningbo"),
    "厦门": ("35", "Xiamen"),
    "深圳": ("44", "Shenzhen"),
}

# Prefecture-level divisions by province: "short:English" or "short=full name:English" when the full name
# does not end in 市. Province-administered county-level cities that MIIT lists name like prefectures
# (济源, 仙桃, 潜江, 天门, 神农架, 石河子 ...) are included.
_CITY_TABLE = {
    "13": "石家庄:Shijiazhuang 唐山:Tangshan 秦皇岛:Qinhuangdao 邯郸:Handan 邢台:Xingtai 保定:Baoding "
          "张家口:Zhangjiakou 承德:Chengde 沧州:Cangzhou 廊坊:Langfang 衡水:Hengshui",
    "14": "太原:Taiyuan 大同:Datong 阳泉:Yangquan 长治:Changzhi 晋城:Jincheng 朔州:Shuozhou 晋中:Jinzhong "
          "运城:Yuncheng 忻州:Xinzhou 临汾:Linfen 吕梁:Lvliang",
    "15": "呼和浩特:Hohhot 包头:Baotou 乌海:Wuhai 赤峰:Chifeng 通辽:Tongliao 鄂尔多斯:Ordos "
          "呼伦贝尔:Hulunbuir 巴彦淖尔:Bayannur 乌兰察布:Ulanqab 兴安=兴安盟:Hinggan "
          "锡林郭勒=锡林郭勒盟:Xilingol 阿拉善=阿拉善盟:Alxa",
    "21": "沈阳:Shenyang 大连:Dalian 鞍山:Anshan 抚顺:Fushun 本溪:Benxi 丹东:Dandong 锦州:Jinzhou "
          "营口:Yingkou 阜新:Fuxin 辽阳:Liaoyang 盘锦:Panjin 铁岭:Tieling 朝阳:Chaoyang 葫芦岛:Huludao",
    "22": "长春:Changchun 吉林:Jilin 四平:Siping 辽源:Liaoyuan 通化:Tonghua 白山:Baishan 松原:Songyuan "
          "白城:Baicheng 延边=延边朝鲜族自治州:Yanbian",
    "23": "哈尔滨:Harbin 齐齐哈尔:Qiqihar 鸡西:Jixi 鹤岗:Hegang 双鸭山:Shuangyashan 大庆:Daqing "
          "伊春:Yichun 佳木斯:Jiamusi 七台河:Qitaihe 牡丹江:Mudanjiang 黑河:Heihe 绥化:Suihua "
          "大兴安岭=大兴安岭地区:Daxinganling",
    "32": "南京:Nanjing 无锡:Wuxi 徐州:Xuzhou 常州:Changzhou 苏州:Suzhou 南通:Nantong 连云港:Lianyungang "
          "淮安:Huaian 盐城:Yancheng 扬州:Yangzhou 镇江:Zhenjiang 泰州:Taizhou 宿迁:Suqian",
    "33": "杭州:Hangzhou 宁波:Ningbo 温州:Wenzhou 嘉兴:Jiaxing 湖州:Huzhou 绍兴:Shaoxing 金华:Jinhua "
          "衢州:Quzhou 舟山:Zhoushan 台州:Taizhou 丽水:Lishui",
    "34": "合肥:Hefei 芜湖:Wuhu 蚌埠:Bengbu 淮南:Huainan 马鞍山:Maanshan 淮北:Huaibei 铜陵:Tongling "
          "安庆:Anqing 黄山:Huangshan 滁州:Chuzhou 阜阳:Fuyang 宿州:Suzhou 六安:Luan 亳州:Bozhou "
          "池州:Chizhou 宣城:Xuancheng",
    "35": "福州:Fuzhou 厦门:Xiamen 莆田:Putian 三明:Sanming 泉州:Quanzhou 漳州:Zhangzhou 南平:Nanping "
          "龙岩:Longyan 宁德:Ningde",
    "36": "南昌:Nanchang 景德镇:Jingdezhen 萍乡:Pingxiang 九江:Jiujiang 新余:Xinyu 鹰潭:Yingtan "
          "赣州:Ganzhou 吉安:Jian 宜春:Yichun 抚州:Fuzhou 上饶:Shangrao",
    "37": "济南:Jinan 青岛:Qingdao 淄博:Zibo 枣庄:Zaozhuang 东营:Dongying 烟台:Yantai 潍坊:Weifang "
          "济宁:Jining 泰安:Taian 威海:Weihai 日照:Rizhao 临沂:Linyi 德州:Dezhou 聊城:Liaocheng "
          "滨州:Binzhou 菏泽:Heze",
    "41": "郑州:Zhengzhou 开封:Kaifeng 洛阳:Luoyang 平顶山:Pingdingshan 安阳:Anyang 鹤壁:Hebi "
          "新乡:Xinxiang 焦作:Jiaozuo 濮阳:Puyang 许昌:Xuchang 漯河:Luohe 三门峡:Sanmenxia 南阳:Nanyang "
          "商丘:Shangqiu 信阳:Xinyang 周口:Zhoukou 驻马店:Zhumadian 济源:Jiyuan",
    "42": "武汉:Wuhan 黄石:Huangshi 十堰:Shiyan 宜昌:Yichang 襄阳:Xiangyang 鄂州:Ezhou 荆门:Jingmen "
          "孝感:Xiaogan 荆州:Jingzhou 黄冈:Huanggang 咸宁:Xianning 随州:Suizhou "
          "恩施=恩施土家族苗族自治州:Enshi 仙桃:Xiantao 潜江:Qianjiang 天门:Tianmen "
          "神农架=神农架林区:Shennongjia",
    "43": "长沙:Changsha 株洲:Zhuzhou 湘潭:Xiangtan 衡阳:Hengyang 邵阳:Shaoyang 岳阳:Yueyang "
          "常德:Changde 张家界:Zhangjiajie 益阳:Yiyang 郴州:Chenzhou 永州:Yongzhou 怀化:Huaihua "
          "娄底:Loudi 湘西=湘西土家族苗族自治州:Xiangxi",
    "44": "广州:Guangzhou 韶关:Shaoguan 深圳:Shenzhen 珠海:Zhuhai 汕头:Shantou 佛山:Foshan "
          "江门:Jiangmen 湛江:Zhanjiang 茂名:Maoming 肇庆:Zhaoqing 惠州:Huizhou 梅州:Meizhou "
          "汕尾:Shanwei 河源:Heyuan 阳江:Yangjiang 清远:Qingyuan 东莞:Dongguan 中山:Zhongshan "
          "潮州:Chaozhou 揭阳:Jieyang 云浮:Yunfu",
    "45": "南宁:Nanning 柳州:Liuzhou 桂林:Guilin 梧州:Wuzhou 北海:Beihai 防城港:Fangchenggang "
          "钦州:Qinzhou 贵港:Guigang 玉林:Yulin 百色:Baise 贺州:Hezhou 河池:Hechi 来宾:Laibin "
          "崇左:Chongzuo",
    "46": "海口:Haikou 三亚:Sanya 三沙:Sansha 儋州:Danzhou",
    "51": "成都:Chengdu 自贡:Zigong 攀枝花:Panzhihua 泸州:Luzhou 德阳:Deyang 绵阳:Mianyang "
          "广元:Guangyuan 遂宁:Suining 内江:Neijiang 乐山:Leshan 南充:Nanchong 眉山:Meishan "
          "宜宾:Yibin 广安:Guangan 达州:Dazhou 雅安:Yaan 巴中:Bazhong 资阳:Ziyang "
          "阿坝=阿坝藏族羌族自治州:Aba 甘孜=甘孜藏族自治州:Garze 凉山=凉山彝族自治州:Liangshan",
    "52": "贵阳:Guiyang 六盘水:Liupanshui 遵义:Zunyi 安顺:Anshun 毕节:Bijie 铜仁:Tongren "
          "黔西南=黔西南布依族苗族自治州:Qianxinan 黔东南=黔东南苗族侗族自治州:Qiandongnan "
          "黔南=黔南布依族苗族自治州:Qiannan",
    "53": "昆明:Kunming 曲靖:Qujing 玉溪:Yuxi 保山:Baoshan 昭通:Zhaotong 丽江:Lijiang 普洱:Puer "
          "临沧:Lincang 楚雄=楚雄彝族自治州:Chuxiong 红河=红河哈尼族彝族自治州:Honghe "
          "文山=文山壮族苗族自治州:Wenshan 西双版纳=西双版纳傣族自治州:Xishuangbanna "
          "大理=大理白族自治州:Dali 德宏=德宏傣族景颇族自治州:Dehong 怒江=怒江傈僳族自治州:Nujiang "
          "迪庆=迪庆藏族自治州:Diqing",
    "54": "拉萨:Lhasa 日喀则:Shigatse 昌都:Qamdo 林芝:Nyingchi 山南:Shannan 那曲:Nagqu "
          "阿里=阿里地区:Ngari",
    "61": "西安:Xian 铜川:Tongchuan 宝鸡:Baoji 咸阳:Xianyang 渭南:Weinan 延安:Yanan 汉中:Hanzhong "
          "榆林:Yulin 安康:Ankang 商洛:Shangluo 杨凌=杨凌示范区:Yangling",
    "62": "兰州:Lanzhou 嘉峪关:Jiayuguan 金昌:Jinchang 白银:Baiyin 天水:Tianshui 武威:Wuwei "
          "张掖:Zhangye 平凉:Pingliang 酒泉:Jiuquan 庆阳:Qingyang 定西:Dingxi 陇南:Longnan "
          "临夏=临夏回族自治州:Linxia 甘南=甘南藏族自治州:Gannan",
    "63": "西宁:Xining 海东:Haidong 海北=海北藏族自治州:Haibei 黄南=黄南藏族自治州:Huangnan "
          "海南州=海南藏族自治州:Hainan Prefecture 果洛=果洛藏族自治州:Golog 玉树=玉树藏族自治州:Yushu "
          "海西=海西蒙古族藏族自治州:Haixi",
    "64": "银川:Yinchuan 石嘴山:Shizuishan 吴忠:Wuzhong 固原:Guyuan 中卫:Zhongwei",
    "65": "乌鲁木齐:Urumqi 克拉玛依:Karamay 吐鲁番:Turpan 哈密:Hami 昌吉=昌吉回族自治州:Changji "
          "博尔塔拉=博尔塔拉蒙古自治州:Bortala 巴音郭楞=巴音郭楞蒙古自治州:Bayingolin "
          "阿克苏=阿克苏地区:Aksu 克孜勒苏=克孜勒苏柯尔克孜自治州:Kizilsu 喀什=喀什地区:Kashgar "
          "和田=和田地区:Hotan 伊犁=伊犁哈萨克自治州:Ili 塔城=塔城地区:Tacheng 阿勒泰=阿勒泰地区:Altay",
    "66": "石河子:Shihezi 阿拉尔:Aral 图木舒克:Tumxuk 五家渠:Wujiaqu 北屯:Beitun 铁门关:Tiemenguan "
          "双河:Shuanghe 可克达拉:Kokdala 昆玉:Kunyu 胡杨河:Huyanghe 新星:Xinxing 白杨:Baiyang",
}


def _parse_cities() -> pd.DataFrame:
    rows = []
    for code, text in _CITY_TABLE.items():
        for item in re.split(r" (?=[^\x00-\x7f])", text):
            left, english = item.split(":", 1)
            short, _, full = left.partition("=")
            rows.append((code, short, full or f"{short}市", english))
    return pd.DataFrame(rows, columns=["province_code", "city_short", "city", "city_en"])


#: Prefecture-level cities: province_code, city_short (杭州), city (杭州市), city_en (Hangzhou).
CITIES: pd.DataFrame = _parse_cities()

#: Columns returned by :func:`normalize_region` / :func:`normalize_regions`.
REGION_COLUMNS = ["province_code", "province", "province_en", "city", "city_en", "separately_planned"]

_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")
_CITY_SUFFIXES = ("市", "地区", "盟", "自治州", "州", "林区", "示范区")


def _key(text: str) -> str:
    """Lower-case, NFKC, without spaces, hyphens, apostrophes and dots."""
    t = unicodedata.normalize("NFKC", text).strip().lower()
    return re.sub(r"[\s\-'’.·_]+", "", t)


@lru_cache(maxsize=1)
def _lookup() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Return (province key -> code, city key -> (province code, city full name))."""
    prov: dict[str, str] = {}
    for code, (short, long, english, pinyin) in PROVINCES.items():
        for form in (short, long, english, pinyin, code, english + " province", pinyin + "sheng",
                     pinyin + "shi"):
            prov[_key(form)] = code
    for form, code in PROVINCE_ALIASES.items():
        prov[_key(form)] = code
    city: dict[str, tuple[str, str]] = {}
    ambiguous_en: set[str] = set()
    for row in CITIES.itertuples(index=False):
        val = (row.province_code, row.city)
        for form in {row.city_short, row.city}:
            city.setdefault(_key(form), val)
        for form in (row.city_en, row.city_en + " city", row.city_en + "shi"):
            k = _key(form)
            if k in city and city[k] != val:
                ambiguous_en.add(k)
            city.setdefault(k, val)
    for k in ambiguous_en:  # Suzhou, Taizhou, Fuzhou, Yichun, Yulin: English alone cannot say which
        city.pop(k, None)
    city[_key("莱芜")] = ("37", "济南市")  # merged into Jinan in 2019
    city[_key("莱芜市")] = ("37", "济南市")
    return prov, city


def _strip_suffix(text: str, suffixes: tuple[str, ...]) -> str:
    for suf in suffixes:
        if text.endswith(suf) and len(text) > len(suf) + 1:
            return text[: -len(suf)]
    return text


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or not str(value).strip()


def normalize_region(
    text: str | None | pd.Series, city: str | None | pd.Series = None
) -> dict[str, object] | None | pd.DataFrame:
    """Map a province or city, written any usual way, to the standard region record (one string or a Series).

    Parameters
    ----------
    text : str or pandas.Series
        Province or prefecture-level city: short (``浙江``), long (``浙江省``), pinyin (``Zhejiang``), English
        (``Inner Mongolia``), GB/T 2260 code (``33``), or a city (``宁波市``, ``Ningbo``, ``杭州``), or a
        combination (``浙江省杭州市``, ``北京市朝阳区``), or a county or district found in one province only
        (``余杭区``).
    city : str or pandas.Series, optional
        A separate city (or county/district) field; it must lie in the province given by ``text``.

    Returns
    -------
    dict, None or pandas.DataFrame
        For a Series (or list), the frame of :func:`normalize_regions` aligned with the input (never None).
        For one string, a dict with keys :data:`REGION_COLUMNS`: ``province_code`` (``"33"``), ``province``
        (``"浙江"``), ``province_en``, ``city`` (``"宁波市"`` or None), ``city_en`` and ``separately_planned``
        (True for 大连 青岛 宁波 厦门 深圳, which MIIT treats as list issuers). ``None`` when the text is not a
        known region, or is a district name found in several provinces with no province given (see
        :func:`region_status`).

    Examples
    --------
    >>> normalize_region("宁波")["province"], normalize_region("宁波")["separately_planned"]
    ('浙江', True)
    >>> normalize_region("zhejiang sheng")["province_en"]
    'Zhejiang'
    >>> normalize_region("浙江省杭州市")["city"]
    '杭州市'
    >>> normalize_region("Atlantis") is None
    True
    >>> normalize_region("朝阳区") is None  # Beijing and Changchun both have one: not guessed
    True
    >>> normalize_region("北京", "朝阳区")["province"], normalize_region("吉林省朝阳区")["city"]
    ('北京', '长春市')
    >>> normalize_region(pd.Series(["宁波", "Atlantis"], index=[3, 4]))[["province", "region_status"]]
      province region_status
    3       浙江            ok
    4      NaN       unknown
    """
    if isinstance(text, (pd.Series, list, tuple, np.ndarray)):
        return normalize_regions(pd.Series(text), city)  # type: ignore[arg-type]
    text = "" if _blank(text) else str(text)
    city = None if _blank(city) else str(city)
    rec = _resolve(text, city)
    return None if rec is None else dict(rec)


@lru_cache(maxsize=65536)
def _resolve(text: str, city: str | None) -> dict[str, object] | None:
    """Cached core of :func:`normalize_region` (text and city already cleaned of blanks)."""
    if city is None:
        return _match(text)
    base = _match(text) if text.strip() else None
    sub = _match_city(city)
    if sub is None:
        ck = _key(city)
        if base is not None:
            hits = _district_hits(ck, str(base["province_code"]))
            if hits:
                rec = _district_record(hits)
                return rec if rec is not None else base
            return base
        return _district_record(_district_hits(ck)) if not text.strip() else None
    if base is not None and base["province_code"] != sub[0]:
        return None
    return _record(sub[0], sub[1])


def region_status(text: str | None, city: str | None = None) -> str:
    """Say whether a region can be read: ``"ok"``, ``"ambiguous"``, ``"unknown"`` or ``"missing"``.

    ``"ambiguous"`` is a county or district name found in several provinces (``朝阳区``, ``鼓楼区``,
    ``西湖区``, ``普陀区``, ``江北区``) with no province to settle it: callers flag it rather than guess.

    Parameters
    ----------
    text : str
        As for :func:`normalize_region`.
    city : str, optional
        As for :func:`normalize_region`.

    Returns
    -------
    str

    Examples
    --------
    >>> region_status("鼓楼区"), region_status("江苏省", "鼓楼区"), region_status("余杭区")
    ('ambiguous', 'ok', 'ok')
    >>> region_status("Atlantis"), region_status(None)
    ('unknown', 'missing')
    """
    if _blank(text) and _blank(city):
        return "missing"
    if normalize_region(text, city) is not None:
        return "ok"
    probe = str(city) if not _blank(city) else str(text)
    k = _key(probe)
    for n in range(len(k), 1, -1):  # the district may follow a city or be followed by more text
        hits = _districts().get(k[:n])
        if hits and len({p for p, _c in hits}) > 1:
            return "ambiguous"
    return "unknown"


@lru_cache(maxsize=1)
def _city_index() -> dict[tuple[str, str], tuple[str, bool]]:
    """(province code, city full name) -> (English name, separately planned): one dict, built once."""
    return {(r.province_code, r.city): (str(r.city_en), str(r.city_short) in SEPARATELY_PLANNED)
            for r in CITIES.itertuples(index=False)}


def _record(code: str, city_full: str | None) -> dict[str, object]:
    short, _long, english, _pinyin = PROVINCES[code]
    city_en = None
    planned = False
    if city_full is not None:
        hit = _city_index().get((code, city_full))
        if hit is not None:
            city_en, planned = hit
    return {"province_code": code, "province": short, "province_en": english, "city": city_full,
            "city_en": city_en, "separately_planned": planned}


@lru_cache(maxsize=1)
def _districts() -> dict[str, frozenset[tuple[str, str | None]]]:
    """County-level name key -> every (province code, prefecture city or None) holding a county of that name.

    Built from the GB/T 2260 county table (:mod:`lgresearch.clean._gb2260`). Counties directly under a
    province or a municipality get city None unless the county itself is in :data:`CITIES` (济源, 仙桃 ...);
    the XPCC cities (6590xx) are left to :data:`CITIES` (code 66).
    """
    cities = _city_index()
    out: dict[str, set[tuple[str, str | None]]] = {}
    for line in COUNTIES.replace("\n    ", " ").splitlines():
        head, _, names = line.partition(": ")
        code, prefecture = head.split(" ", 1)
        prov = code[:2]
        if code == "659000":
            continue
        city = prefecture if (prov, prefecture) in cities else None
        for name in names.split():
            if name == "市辖区":
                continue
            own = (prov, name) if (prov, name) in cities else None
            out.setdefault(_key(name), set()).add(own if own else (prov, city))
    return {k: frozenset(v) for k, v in out.items()}


def _district_hits(k: str, code: str | None = None) -> frozenset[tuple[str, str | None]]:
    """Places of the county-level name ``k`` (a :func:`_key`), within province ``code`` when given."""
    hits = _districts().get(k, frozenset())
    if code is not None:
        hits = frozenset(h for h in hits if h[0] == code)
    return hits


def _district_record(hits: frozenset[tuple[str, str | None]]) -> dict[str, object] | None:
    """Record for a county name's places: one province (city when unique), None when provinces differ."""
    provinces = {p for p, _c in hits}
    if len(provinces) != 1:
        return None
    cities = {c for _p, c in hits}
    return _record(provinces.pop(), cities.pop() if len(cities) == 1 else None)


@lru_cache(maxsize=4096)
def _match_city(text: str) -> tuple[str, str] | None:
    _prov, city = _lookup()
    k = _key(text)
    if not k:
        return None
    if k in city:
        return city[k]
    stripped = _strip_suffix(k, _CITY_SUFFIXES)
    return city.get(stripped)


@lru_cache(maxsize=65536)
def _match(text: str) -> dict[str, object] | None:
    prov, city = _lookup()
    k = _key(text)
    if not k:
        return None
    if k in prov:
        return _record(prov[k], None)
    if k in city and k.endswith(("市", "州", "盟", "地区")):  # 吉林市 is the city, 吉林 the province
        return _record(*city[k])
    stripped = _strip_suffix(k, _SUFFIXES)
    if stripped in prov and len(stripped) > 1:
        return _record(prov[stripped], None)
    hit = _match_city(k)
    if hit is not None:
        return _record(*hit)
    if k in _districts():  # a county or district: resolved when all its namesakes lie in one province
        return _district_record(_district_hits(k))
    for length in range(min(len(k) - 1, 10), 1, -1):  # "浙江省杭州市": a province prefix, then a city
        head, tail = k[:length], k[length:]
        code = prov.get(head) if len(head) > 1 else None
        if code is None or not tail:
            continue
        return _province_tail(code, tail)
    for length in range(min(len(k) - 1, 12), 1, -1):  # "杭州市余杭区": a city followed by a district
        head, tail = k[:length], k[length:]
        if tail[:1] in ("区", "县", "旗") and not head.endswith(("市", "州", "盟")):
            continue  # 朝阳区 is a district named like the city 朝阳, not 朝阳市 + 区
        sub = _match_city(head)
        if sub is not None:
            return _record(*sub)
    for length in range(min(len(k) - 1, 12), 2, -1):  # "余杭区某某街道": a district followed by more text
        if k[:length] in _districts():
            return _district_record(_district_hits(k[:length]))
    return None


def _province_tail(code: str, tail: str) -> dict[str, object]:
    """Record for a province followed by a city, a county or district, or other text (the province alone)."""
    sub = _match_city(tail)
    if sub is not None and sub[0] == code:
        return _record(*sub)
    for n in range(len(tail), 1, -1):  # a county or district of this province, possibly after its city
        hits = _district_hits(tail[:n], code) or _district_hits(tail[-n:], code)
        if hits:
            return _district_record(hits) or _record(code, None)
    if re.fullmatch(r"[\u4e00-\u9fff]{2,8}", tail):
        sub_city = next((c for c in _city_prefixes(code) if tail.startswith(c)), None)
        if sub_city is not None:
            # the prefixes are city names of this province: _match_city finds them
            return _record(code, cast("tuple[str, str]", _match_city(sub_city))[1])
    return _record(code, None)


@lru_cache(maxsize=64)
def _city_prefixes(code: str) -> tuple[str, ...]:
    sub = CITIES[CITIES["province_code"] == code]
    forms = set(sub["city"]) | set(sub["city_short"])
    return tuple(sorted(forms, key=len, reverse=True))


def normalize_regions(values: pd.Series, cities: pd.Series | None = None) -> pd.DataFrame:
    """Vectorised :func:`normalize_region` over a Series (unique values are looked up once).

    Returns a frame with :data:`REGION_COLUMNS` aligned on ``values.index`` plus ``region_status``
    (:func:`region_status`: ``ok`` / ``ambiguous`` / ``unknown`` / ``missing``); unknown or ambiguous regions
    give missing ``province_code`` (the caller decides whether that is an error or a ledger flag).

    Parameters
    ----------
    values : Series
        Provinces or cities, written any usual way.
    cities : Series, optional
        A separate city (or county/district) field aligned with ``values``.

    Returns
    -------
    DataFrame
        :data:`REGION_COLUMNS` plus ``region_status``, aligned on ``values.index``.

    Examples
    --------
    >>> out = normalize_regions(pd.Series(["浙江省", "Ningbo", "Atlantis", None, "鼓楼区"]))
    >>> out["province"].tolist()
    ['浙江', '浙江', nan, nan, nan]
    >>> out["separately_planned"].tolist()
    [False, True, False, False, False]
    >>> out["region_status"].tolist()
    ['ok', 'ok', 'unknown', 'missing', 'ambiguous']
    """
    values = pd.Series(values)
    left = ["" if _blank(x) else str(x) for x in values.astype(object).tolist()]
    if cities is not None:
        right = ["" if _blank(x) else str(x) for x in pd.Series(cities, index=values.index).astype(object).tolist()]
    else:
        right = [""] * len(left)
    records: dict[tuple[str, str], tuple[dict | None, str]] = {}
    for pair in dict.fromkeys(zip(left, right, strict=True)):
        rec = _resolve(pair[0], pair[1] or None)
        records[pair] = (rec, "ok" if rec is not None else region_status(pair[0], pair[1] or None))
    empty = dict.fromkeys(REGION_COLUMNS)
    got = [records[p] for p in zip(left, right, strict=True)]
    out = pd.DataFrame([r or empty for r, _ in got], columns=REGION_COLUMNS, index=values.index)
    out["separately_planned"] = out["separately_planned"].astype("boolean").fillna(False).astype(bool)
    for col in ("province_code", "province", "province_en", "city", "city_en"):
        out[col] = out[col].astype(object).where(out[col].notna(), np.nan).astype(TEXT_DTYPE)
    out["region_status"] = pd.Series([st for _, st in got], index=values.index, dtype=object).astype(TEXT_DTYPE)
    return out


def region_prefix_forms() -> tuple[str, ...]:
    """All Chinese spellings of provinces and prefecture-level cities, longest first (for prefix stripping).

    Returns
    -------
    tuple of str
        The spellings, longest first.

    Examples
    --------
    >>> forms = region_prefix_forms()
    >>> "深圳市" in forms and "浙江省" in forms and forms.index("深圳市") < forms.index("深圳")
    True
    """
    forms: set[str] = set()
    for short, long, _e, _p in PROVINCES.values():
        forms.update({short, long})
    forms.discard("新疆兵团")
    forms.update(CITIES["city"])
    forms.update(s for s in CITIES["city_short"] if len(s) >= 2)
    forms.update({"中国", "中华"})
    return tuple(sorted(forms, key=lambda s: (-len(s), s)))
